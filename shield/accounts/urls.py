from django.urls import path

from shield.accounts import member_views, token_views, views

app_name = "accounts"

_MEMBER = "agencies/<uuid:agency_id>/members/<uuid:member_id>/"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<uuid:agency_id>/security/", views.agency_security, name="agency_security"),
    path("tokens/", token_views.my_tokens, name="my_tokens"),
    path("tokens/revoke-all/", token_views.my_tokens_revoke_all, name="my_tokens_revoke_all"),
    path("tokens/<uuid:token_id>/revoke/", token_views.my_token_revoke, name="my_token_revoke"),
    path("agencies/<uuid:agency_id>/tokens/", token_views.agency_tokens, name="agency_tokens"),
    path(
        "agencies/<uuid:agency_id>/tokens/<uuid:token_id>/revoke/",
        token_views.agency_token_revoke,
        name="agency_token_revoke",
    ),
    path("grants/", views.grant_list, name="grant_list"),
    path("grants/<uuid:grant_id>/approve/", views.grant_approve, name="grant_approve"),
    path("grants/<uuid:grant_id>/refuse/", views.grant_refuse, name="grant_refuse"),
    # Running an agency: members, invitations, roles, deactivation, two-factor reset, sign-ins.
    path("agencies/new/", member_views.agency_create, name="agency_create"),
    path("agencies/<uuid:agency_id>/edit/", member_views.agency_edit, name="agency_edit"),
    path("agencies/<uuid:agency_id>/members/", member_views.member_list, name="member_list"),
    path("agencies/<uuid:agency_id>/members/invite/", member_views.member_invite, name="member_invite"),
    path(f"{_MEMBER}", member_views.member_detail, name="member_detail"),
    path(f"{_MEMBER}invite/", member_views.member_invite_resend, name="member_invite_resend"),
    path(f"{_MEMBER}roles/give/", member_views.member_role_give, name="member_role_give"),
    path(
        f"{_MEMBER}memberships/<uuid:membership_id>/end/", member_views.membership_end, name="membership_end"
    ),
    path(f"{_MEMBER}deactivate/", member_views.member_deactivate, name="member_deactivate"),
    path(f"{_MEMBER}reactivate/", member_views.member_reactivate, name="member_reactivate"),
    path(f"{_MEMBER}two-factor/reset/", member_views.member_two_factor_reset, name="member_two_factor_reset"),
    path(f"{_MEMBER}sign-ins/", member_views.member_sign_ins, name="member_sign_ins"),
    path("invite/<str:uidb64>/<str:token>/", member_views.invite_accept, name="invite_accept"),
]
