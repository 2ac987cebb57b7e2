from django.urls import path

from microcred.recognition import views

app_name = "recognition"

STUDIO = "studio/orgs/<slug:slug>/recognition/"

urlpatterns = [
    path("me/recognition/", views.my_requests, name="mine"),
    path("me/recognition/apply", views.apply, name="apply"),
    path("me/recognition/worth", views.worth, name="worth"),
    path("me/recognition/<uuid:uuid>", views.request_page, name="request"),
    path("me/recognition/<uuid:uuid>/files", views.attach_files, name="attach-files"),
    path("recognition/<uuid:uuid>/files/<uuid:file>", views.evidence_file, name="evidence-file"),
    path("grades/convert", views.convert, name="convert"),
    path("orgs/<slug:org>/transfer-values.json", views.transfer_values_ctdl, name="ctdl"),
    path(
        "orgs/<slug:org>/transfer-values/<uuid:uuid>.json",
        views.transfer_value_ctdl,
        name="ctdl-profile",
    ),
    path(STUDIO, views.studio_queue, name="studio-queue"),
    path(f"{STUDIO}transfer-values", views.studio_transfer_values, name="studio-transfer-values"),
    path(f"{STUDIO}grading-tables", views.studio_grading_tables, name="studio-grading-tables"),
    path(f"{STUDIO}<uuid:uuid>", views.studio_request, name="studio-request"),
    path(f"{STUDIO}<uuid:uuid>/propose", views.studio_propose, name="studio-propose"),
    path(f"{STUDIO}<uuid:uuid>/decide", views.studio_decide, name="studio-decide"),
]
