from django.urls import path

from microcred.catalogue import views

app_name = "catalogue"


STUDIO = "studio/orgs/<slug:slug>/credentials/"
VERSION = STUDIO + "<slug:credential>/v<int:number>/"

urlpatterns = [
    path("catalogue/", views.catalogue, name="index"),
    path("catalogue/<slug:organisation>/<slug:slug>/", views.detail, name="detail"),
    path(
        "catalogue/<slug:organisation>/<slug:slug>/v<int:number>/",
        views.version,
        name="version",
    ),
    path("achievements/<uuid:achievement>", views.achievement, name="achievement"),
    path(
        "achievements/<uuid:achievement>.json",
        views.achievement,
        {"suffix": ".json"},
        name="achievement-json",
    ),
    path("achievements/<uuid:achievement>/image", views.achievement_image, name="image"),
    path(STUDIO, views.studio_list, name="studio-list"),
    path(STUDIO + "new", views.studio_new, name="studio-new"),
    path(STUDIO + "<slug:credential>/", views.studio_credential, name="studio-credential"),
    path(
        STUDIO + "<slug:credential>/new-version",
        views.studio_new_version,
        name="studio-new-version",
    ),
    path(VERSION, views.studio_version, name="studio-version"),
    path(VERSION + "edit", views.studio_edit, name="studio-edit"),
    path(VERSION + "publish", views.studio_publish, name="studio-publish"),
    path(VERSION + "withdraw", views.studio_withdraw, name="studio-withdraw"),
    path(VERSION + "outcomes/<int:outcome>/skills", views.studio_skills, name="studio-skills"),
]
