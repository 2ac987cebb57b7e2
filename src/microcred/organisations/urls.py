from django.urls import path

from microcred.organisations import views

app_name = "organisations"

urlpatterns = [
    path("orgs/", views.organisation_list, name="list"),
    path("orgs/<slug:slug>/", views.organisation_page, name="profile"),
    path("orgs/<slug:slug>/did.json", views.did_document, name="did-document"),
    path("orgs/<slug:slug>/profile.json", views.profile_document, name="profile-document"),
    path("orgs/<slug:slug>/keys/<str:key_id>.jwk", views.public_key, name="public-key"),
    path("studio/orgs/new", views.studio_new, name="studio-new"),
    path("studio/orgs/<slug:slug>/", views.studio_overview, name="studio-overview"),
    path("studio/orgs/<slug:slug>/profile", views.studio_profile, name="studio-profile"),
    path("studio/orgs/<slug:slug>/members", views.studio_members, name="studio-members"),
    path(
        "studio/orgs/<slug:slug>/members/<str:username>",
        views.studio_member,
        name="studio-member",
    ),
    path(
        "studio/orgs/<slug:slug>/invitations/<int:invitation_id>/withdraw",
        views.studio_withdraw_invitation,
        name="studio-withdraw-invitation",
    ),
    path("invitations/<str:token>", views.invitation, name="invitation"),
    path("studio/orgs/<slug:slug>/keys", views.studio_keys, name="studio-keys"),
    path("studio/orgs/<slug:slug>/keys/rotate", views.studio_rotate_key, name="studio-rotate-key"),
    path(
        "studio/orgs/<slug:slug>/keys/<str:key_id>/compromise",
        views.studio_compromise_key,
        name="studio-compromise-key",
    ),
]
