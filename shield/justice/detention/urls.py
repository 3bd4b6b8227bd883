"""Pages of the justice app's detention part (included by shield/justice/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from shield.justice.detention import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("detention/", views.episode_list, name="detention_list"),
    path("detention/party/<uuid:party_id>/", views.party_detention, name="detention_party"),
    path("detention/<uuid:episode_id>/", views.episode_detail, name="detention_episode"),
]
