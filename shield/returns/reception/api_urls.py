"""API of the reception part (mounted under /api/v1/returns/): returns, verification requests,
receptions and their members."""

from django.urls import URLPattern, URLResolver, path

from shield.returns.reception import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", api.ReturnListView.as_view(), name="api-return-list"),
    path("<uuid:return_id>/", api.ReturnDetailView.as_view(), name="api-return-detail"),
    path("<uuid:return_id>/cancel/", api.ReturnCancelView.as_view(), name="api-return-cancel"),
    path("verifications/", api.VerificationListView.as_view(), name="api-verification-list"),
    path(
        "verifications/<uuid:request_id>/",
        api.VerificationDetailView.as_view(),
        name="api-verification-detail",
    ),
    path(
        "verifications/<uuid:request_id>/check/",
        api.VerificationCheckView.as_view(),
        name="api-verification-check",
    ),
    path(
        "verifications/<uuid:request_id>/decide/",
        api.VerificationDecideView.as_view(),
        name="api-verification-decide",
    ),
    path(
        "verifications/<uuid:request_id>/answer/",
        api.VerificationAnswerView.as_view(),
        name="api-verification-answer",
    ),
    path("receptions/", api.ReceptionListView.as_view(), name="api-reception-list"),
    path("receptions/<uuid:event_id>/", api.ReceptionDetailView.as_view(), name="api-reception-detail"),
    path(
        "receptions/<uuid:event_id>/members/",
        api.ReceptionMembersView.as_view(),
        name="api-reception-members",
    ),
    path(
        "receptions/<uuid:event_id>/complete/",
        api.ReceptionCompleteView.as_view(),
        name="api-reception-complete",
    ),
    path(
        "receptions/members/<uuid:member_id>/",
        api.MemberDetailView.as_view(),
        name="api-reception-member-detail",
    ),
    path(
        "receptions/members/<uuid:member_id>/draft/",
        api.MemberDraftView.as_view(),
        name="api-reception-member-draft",
    ),
    path(
        "receptions/members/<uuid:member_id>/screen/",
        api.MemberScreenView.as_view(),
        name="api-reception-member-screen",
    ),
    path(
        "receptions/members/<uuid:member_id>/dispose/",
        api.MemberDisposeView.as_view(),
        name="api-reception-member-dispose",
    ),
]
