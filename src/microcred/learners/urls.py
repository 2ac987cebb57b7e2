from django.urls import path

from microcred.learners import views

app_name = "learners"

ME = "me/credentials/"

urlpatterns = [
    path(ME, views.credentials, name="credentials"),
    path(f"{ME}export", views.export, name="export"),
    path(f"{ME}claim/<str:token>", views.claim, name="claim"),
    path(f"{ME}<uuid:award_uuid>", views.credential, name="credential"),
    path(f"{ME}<uuid:award_uuid>/visibility", views.visibility, name="visibility"),
    path(f"{ME}<uuid:award_uuid>/share-links", views.create_share_link, name="share-links"),
    path(
        f"{ME}<uuid:award_uuid>/share-links/<int:link_id>/revoke",
        views.revoke_share_link,
        name="revoke-share-link",
    ),
    path("s/<str:token>", views.shared, name="shared"),
    path("credentials/<uuid:award_uuid>/embed", views.embed, name="embed"),
]
