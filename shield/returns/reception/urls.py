"""Pages of the reception part (mounted under /returns/)."""

from django.urls import URLPattern, URLResolver, path

from shield.returns.reception import support_views, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("verifications/", views.verification_list, name="verification_list"),
    path(
        "receptions/members/<uuid:member_id>/support/",
        support_views.member_support,
        name="member_support",
    ),
]
