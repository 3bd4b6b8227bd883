"""Pages of the alerts part (mounted under /returns/)."""

from django.urls import URLPattern, URLResolver, path

from shield.returns.alerts import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<uuid:alert_id>/", views.alert_detail, name="alert_detail"),
    path("alerts/<uuid:alert_id>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
]
