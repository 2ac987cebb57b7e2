from microcred.assessment.views import judging, learning

app_name = "assessment"

urlpatterns = [*learning.urlpatterns, *judging.urlpatterns]
