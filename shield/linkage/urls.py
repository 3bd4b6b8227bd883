from django.urls import path

from shield.linkage import views

app_name = "linkage"

urlpatterns = [
    path("", views.review_list, name="review_list"),
    path("pairs/<uuid:pair_id>/", views.pair_detail, name="pair_detail"),
    path("pairs/<uuid:pair_id>/decide/", views.pair_decide, name="pair_decide"),
    path("pairs/<uuid:pair_id>/merge/", views.pair_merge, name="pair_merge"),
    path("pairs/<uuid:pair_id>/merges/<uuid:merge_id>/unmerge/", views.pair_unmerge, name="pair_unmerge"),
    path("runs/", views.run_list, name="run_list"),
    path("runs/new/", views.run_start, name="run_start"),
    path("runs/<uuid:run_id>/", views.run_detail, name="run_detail"),
    path("runs/<uuid:run_id>/cancel/", views.run_cancel, name="run_cancel"),
]
