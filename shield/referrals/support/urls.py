"""Pages of the referrals app's support part (included by shield/referrals/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from shield.referrals.support import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("support/", views.delivery_list, name="delivery_list"),
    path("support/new/", views.delivery_create, name="delivery_create"),
    path("support/<uuid:delivery_id>/", views.delivery_detail, name="delivery_detail"),
    path("support/<uuid:delivery_id>/void/", views.delivery_void, name="delivery_void"),
]
