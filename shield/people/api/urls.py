"""/api/v1/persons/: people, and their documents, other names and relationships."""

from django.urls import path

from shield.people.api import views

urlpatterns = [
    path("", views.PersonListCreateView.as_view(), name="api-person-list"),
    path("<uuid:person_id>/", views.PersonDetailView.as_view(), name="api-person-detail"),
    path("<uuid:person_id>/documents/", views.PersonDocumentsView.as_view(), name="api-person-documents"),
    path(
        "<uuid:person_id>/documents/<uuid:document_id>/fix/",
        views.PersonDocumentFixView.as_view(),
        name="api-person-document-fix",
    ),
    path("<uuid:person_id>/aliases/", views.PersonAliasesView.as_view(), name="api-person-aliases"),
    path(
        "<uuid:person_id>/relationships/",
        views.PersonRelationshipsView.as_view(),
        name="api-person-relationships",
    ),
]
