"""Pages of the reception part (mounted under /returns/)."""

from django.urls import URLPattern, URLResolver, path

from shield.returns.reception import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("verifications/", views.verification_list, name="verification_list"),
]
