"""Pages of the referrals app's lifecycle part (included by shield/referrals/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from shield.referrals.lifecycle import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("to-us/", views.inbox, name="referral_inbox"),
    path("ours/", views.outbox, name="referral_outbox"),
    path("figures/", views.figures, name="referral_figures"),
    path("new/<uuid:case_id>/", views.referral_new, name="referral_new"),
    path("r/<uuid:referral_id>/", views.referral_detail, name="referral_detail"),
    path("r/<uuid:referral_id>/<str:action>/", views.referral_act, name="referral_act"),
]
