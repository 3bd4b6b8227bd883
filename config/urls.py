"""URL map: one include per app; the API lives under /api/v1/."""

from django.contrib import admin
from django.urls import include, path

from shield.accounts import views as account_views
from shield.accounts.forms import AdminSignInForm

admin.site.site_header = "Shield"
admin.site.site_title = "Shield"
# The admin's sign-in goes through the same account lock and address throttle as the site's.
admin.site.login_form = AdminSignInForm

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("shield.accounts.urls")),
    path("audit/", include("shield.audit.urls")),
    path("people/", include("shield.people.urls")),
    path("cases/", include("shield.cases.urls")),
    path("intake/", include("shield.intake.urls")),
    path("referrals/", include("shield.referrals.urls")),
    path("justice/", include("shield.justice.urls")),
    path("returns/", include("shield.returns.urls")),
    path("hsds/", include("shield.referrals.directory.hsds_urls")),
    path("linkage/", include("shield.linkage.urls")),
    path("notifications/", include("shield.notifications.urls")),
    path("statistics/", include("shield.statistics.urls")),
    path("api/v1/", include("config.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
