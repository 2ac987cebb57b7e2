from django.urls import path

from microcred.europass import views

app_name = "europass"

CATALOGUE = "catalogue/<slug:organisation>/<slug:slug>/"
urlpatterns = [
    path(CATALOGUE + "elm.<str:suffix>", views.version_elm, name="version"),
    path(CATALOGUE + "v<int:number>/elm.<str:suffix>", views.version_elm, name="version-number"),
    path("credentials/<uuid:award_uuid>.elm.<str:suffix>", views.credential_elm, name="credential"),
    path(
        "credentials/<uuid:award_uuid>.edc-upload.json",
        views.credential_uploadable,
        name="credential-upload",
    ),
    path("studio/orgs/<slug:slug>/europass/import", views.studio_import, name="studio-import"),
]
