from django.urls import path

from microcred.studio import views

app_name = "studio"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
