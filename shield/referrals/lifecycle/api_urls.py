"""API routes of the referrals app's lifecycle part (included under /api/v1/referrals/)."""

from django.urls import URLPattern, URLResolver, path

from shield.referrals.lifecycle import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("referrals/", api.ReferralListView.as_view(), name="api_referral_list"),
    path("referrals/<uuid:referral_id>/", api.ReferralDetailView.as_view(), name="api_referral_detail"),
    *[
        path(f"referrals/<uuid:referral_id>/{step}/", api.step_view(step), name=f"api_referral_{step}")
        for step in api.STEPS
    ],
]
