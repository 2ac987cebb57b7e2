from django.contrib import admin
from django.urls import include, path

from microcred.site import views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("microcred.verification.urls")),
    path("admin/", admin.site.urls),
]
