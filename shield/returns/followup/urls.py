"""Pages of the followup part (mounted under /returns/)."""

from django.urls import URLPattern, URLResolver, path

from shield.returns.followup import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("follow-ups/", views.followup_list, name="followup_list"),
    path("follow-ups/<uuid:followup_id>/record/", views.followup_record, name="followup_record"),
    path("plans/cohort/", views.cohort, name="plan_cohort"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<uuid:plan_id>/reassign/", views.plan_reassign, name="plan_reassign"),
    path("plans/<uuid:plan_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<uuid:plan_id>/contact-lost/", views.contact_lost_report, name="plan_contact_lost"),
    path(
        "plans/<uuid:plan_id>/contact-lost/approve/",
        views.contact_lost_approve,
        name="plan_contact_lost_approve",
    ),
]
