from django.urls import path

from shield.notifications.api import views

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="api-notification-list"),
    path("unread/", views.NotificationUnreadView.as_view(), name="api-notification-unread"),
    path("read-all/", views.NotificationReadAllView.as_view(), name="api-notification-read-all"),
    path("<uuid:notification_id>/read/", views.NotificationReadView.as_view(), name="api-notification-read"),
]
