from django.urls import path

from shield.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("<uuid:event_id>/", views.event_detail, name="event_detail"),
    path("export.csv", views.event_export, name="event_export"),
    path("verifications/", views.verification_list, name="verification_list"),
    path("verifications/<uuid:verification_id>/", views.verification_detail, name="verification_detail"),
]
