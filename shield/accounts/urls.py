from django.urls import path

from shield.accounts import token_views, views

app_name = "accounts"

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
]
