from microcred.quality.views import public, studio, vetting, watch

app_name = "quality"

urlpatterns = [*studio.urlpatterns, *public.urlpatterns, *watch.urlpatterns, *vetting.urlpatterns]
