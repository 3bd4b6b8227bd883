from django.urls import path

from shield.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("settings/", views.notification_settings, name="settings"),
    path("<uuid:notification_id>/open/", views.notification_open, name="open"),
]
