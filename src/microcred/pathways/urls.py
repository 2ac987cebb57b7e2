from django.urls import path

from microcred.pathways import views

app_name = "pathways"

STUDIO = "studio/orgs/<slug:slug>/pathways/"
urlpatterns = [
    path("pathways/", views.index, name="index"),
    path("pathways/credentials/", views.credentials, name="credentials"),
    path("me/credentials/import", views.import_credential, name="import"),
    path(
        "me/credentials/imported/<int:external_id>/remove",
        views.remove_imported,
        name="remove-imported",
    ),
    path("pathways/<slug:organisation>/<slug:slug>/", views.detail, name="detail"),
    path("pathways/<slug:organisation>/<slug:slug>/ctdl.json", views.ctdl, name="ctdl"),
    path(
        "pathways/<slug:organisation>/<slug:slug>/request", views.request_credential, name="request"
    ),
    path(STUDIO, views.studio_list, name="studio-list"),
    path(STUDIO + "learners/", views.studio_learners, name="studio-learners"),
    path(STUDIO + "<slug:pathway>/", views.studio_edit, name="studio-edit"),
    path(STUDIO + "<slug:pathway>/publish", views.studio_publish, name="studio-publish"),
    path(
        STUDIO + "<slug:pathway>/learners/<str:learner>/request",
        views.studio_request,
        name="studio-request",
    ),
    path(STUDIO + "<slug:pathway>/learners/<str:learner>/clr", views.studio_clr, name="studio-clr"),
]
