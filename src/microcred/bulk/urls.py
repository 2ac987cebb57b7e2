from django.urls import path

from microcred.bulk import views

app_name = "bulk"

STUDIO = "studio/orgs/<slug:slug>/bulk/"

urlpatterns = [
    path(STUDIO, views.studio_list, name="studio-list"),
    path(f"{STUDIO}<uuid:job_uuid>", views.studio_detail, name="studio-detail"),
    path(f"{STUDIO}<uuid:job_uuid>/report", views.studio_report, name="studio-report"),
    path(f"{STUDIO}<uuid:job_uuid>/<slug:action>", views.studio_action, name="studio-action"),
]
