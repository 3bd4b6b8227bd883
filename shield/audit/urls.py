from django.urls import path

from shield.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("<uuid:event_id>/", views.event_detail, name="event_detail"),
]
