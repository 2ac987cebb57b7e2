from django.urls import path

from microcred.awards import views

app_name = "awards"

STUDIO = "studio/orgs/<slug:slug>/awards/"

urlpatterns = [
    path("credentials/<uuid:award_uuid>", views.credential, name="credential"),
    path(
        "credentials/<uuid:award_uuid>.<str:suffix>",
        views.credential_download,
        name="credential-download",
    ),
    path("status/<slug:organisation>/<slug:list_slug>", views.status_list, name="status-list"),
    path("records/<uuid:record_uuid>", views.learner_record, name="learner-record"),
    path("records/<uuid:record_uuid>.json", views.learner_record_json, name="learner-record-json"),
    path("me/records/<slug:organisation>", views.my_learner_record, name="my-learner-record"),
    path(STUDIO, views.studio_list, name="studio-list"),
    path(f"{STUDIO}issue", views.studio_issue, name="studio-issue"),
    path(f"{STUDIO}records/", views.studio_records, name="studio-records"),
    path(f"{STUDIO}records/issue", views.studio_issue_record, name="studio-issue-record"),
    path(f"{STUDIO}<uuid:award_uuid>", views.studio_detail, name="studio-detail"),
    path(f"{STUDIO}<uuid:award_uuid>/reissue", views.studio_reissue, name="studio-reissue"),
    path(
        f"{STUDIO}<uuid:award_uuid>/<slug:action>",
        views.studio_change_status,
        name="studio-change-status",
    ),
]
