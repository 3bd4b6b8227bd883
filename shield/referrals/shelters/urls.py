"""Pages of the referrals app's shelters part (included by shield/referrals/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from shield.referrals.shelters import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("shelters/", views.vacancy_board, name="vacancy_board"),
    path("shelters/<uuid:service_id>/", views.shelter_detail, name="shelter_detail"),
    path("shelters/<uuid:service_id>/beds/", views.inventory_create, name="shelter_inventory"),
    path("shelters/<uuid:service_id>/admit/", views.admit, name="shelter_admit"),
    path("shelters/<uuid:service_id>/hold/", views.hold_create, name="shelter_hold"),
    path("shelters/stays/<uuid:stay_id>/discharge/", views.discharge, name="shelter_discharge"),
    path("shelters/holds/<uuid:hold_id>/release/", views.hold_release, name="shelter_hold_release"),
]
