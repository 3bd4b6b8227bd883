from django.urls import path

from shield.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("parse-name/", views.parse_name_preview, name="parse_name"),
    path("communes/", views.commune_options, name="commune_options"),
    path("<uuid:person_id>/", views.person_detail, name="person_detail"),
    path("<uuid:person_id>/edit/", views.person_edit, name="person_edit"),
    path("<uuid:person_id>/documents/", views.document_add, name="document_add"),
    path(
        "<uuid:person_id>/documents/<uuid:document_id>/fix/",
        views.document_fix,
        name="document_fix",
    ),
    path("<uuid:person_id>/aliases/", views.alias_add, name="alias_add"),
    path("<uuid:person_id>/relationships/", views.relationship_add, name="relationship_add"),
    path(
        "<uuid:person_id>/relationships/options/",
        views.related_person_options,
        name="related_person_options",
    ),
]
