from django.urls import path

from shield.intake import views

app_name = "intake"

S = "screenings/<uuid:screening_id>"
T = "tips/<uuid:tip_id>"

urlpatterns = [
    path("screenings/", views.screening_list, name="screening_list"),
    path("screenings/new/", views.screening_new, name="screening_new"),
    path(f"{S}/", views.screening_detail, name="screening_detail"),
    path(f"{S}/autosave/", views.screening_autosave, name="screening_autosave"),
    path(f"{S}/complete/", views.screening_complete, name="screening_complete"),
    path(f"{S}/companion/", views.screening_companion, name="screening_companion"),
    path(f"{S}/discard/", views.screening_discard, name="screening_discard"),
    path("instruments/", views.instrument_list, name="instrument_list"),
    path("instruments/publish/", views.instrument_publish, name="instrument_publish"),
    path("instruments/<uuid:instrument_id>/", views.instrument_detail, name="instrument_detail"),
    path("tips/", views.tip_list, name="tip_list"),
    path("tips/new/", views.tip_create, name="tip_create"),
    path("tips/communes/", views.commune_options, name="commune_options"),
    path(f"{T}/", views.tip_detail, name="tip_detail"),
    path(f"{T}/assign/", views.tip_assign, name="tip_assign"),
    path(f"{T}/link/", views.tip_link, name="tip_link"),
    path(f"{T}/open-case/", views.tip_open_case, name="tip_open_case"),
    path(f"{T}/close/", views.tip_close, name="tip_close"),
    path("notices/<uuid:notice_id>/acknowledge/", views.notice_acknowledge, name="notice_acknowledge"),
]
