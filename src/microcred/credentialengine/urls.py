from django.urls import path

from microcred.credentialengine import views

app_name = "credentialengine"

STUDIO = "studio/orgs/<slug:slug>/credential-engine/"
urlpatterns = [
    path("orgs/<slug:org>/ctdl.json", views.organisation_graph, name="organisation"),
    path(
        "catalogue/<slug:org>/<slug:slug>/v<int:number>/ctdl.json",
        views.version_graph,
        name="version",
    ),
    path(STUDIO, views.studio, name="studio"),
    path(STUDIO + "publish", views.studio_publish, name="studio-publish"),
]
