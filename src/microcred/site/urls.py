from django.contrib import admin
from django.urls import include, path

from microcred.accounts.api import router as accounts_router
from microcred.assessment.api import router as assessment_router
from microcred.awards.api import router as awards_router
from microcred.bulk.api import router as bulk_router
from microcred.catalogue.api import router as catalogue_router
from microcred.core.api import api
from microcred.credentialengine.api import router as credentialengine_router
from microcred.europass.api import router as europass_router
from microcred.obapi.api import ob_api
from microcred.obapi.urls import oauth_urls
from microcred.organisations.api import router as organisations_router
from microcred.pathways.api import router as pathways_router
from microcred.quality.api import router as quality_router
from microcred.recognition.api import router as recognition_router
from microcred.site import views
from microcred.verification.api import router as verification_router
from microcred.wallets.api import router as wallets_router

api.add_router("/", accounts_router)
api.add_router("/", organisations_router)
api.add_router("/", catalogue_router)
api.add_router("/", awards_router)
api.add_router("/", quality_router)
api.add_router("/", assessment_router)
api.add_router("/", verification_router)
api.add_router("/", pathways_router)
api.add_router("/", recognition_router)
api.add_router("/", credentialengine_router)
api.add_router("/", europass_router)
api.add_router("/", wallets_router)
api.add_router("/", bulk_router)

urlpatterns = [
    # First: programs call the API most, and every pattern before it is tried in vain.
    path("api/v1/", api.urls),
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("microcred.verification.urls")),
    path("", include("microcred.accounts.urls")),
    path("", include("microcred.accounts.allauth_urls")),
    path("", include("microcred.organisations.urls")),
    # Before the catalogue's and the awards' URLs: ``/credentials/<uuid>.elm.json`` would be
    # taken for an awards download.
    path("", include("microcred.europass.urls")),
    path("", include("microcred.catalogue.urls")),
    path("", include("microcred.awards.urls")),
    path("", include("microcred.quality.urls")),
    path("", include("microcred.assessment.urls")),
    path("", include("microcred.pathways.urls")),
    path("", include("microcred.recognition.urls")),
    path("", include("microcred.credentialengine.urls")),
    path("", include("microcred.wallets.urls")),
    path("", include("microcred.bulk.urls")),
    path("", include("microcred.learners.urls")),
    path("", include("microcred.obapi.urls")),
    path("oauth/", include(oauth_urls)),
    path("ims/ob/v3p0/", ob_api.urls),
    path("studio/", include("microcred.studio.urls")),
    path("api/openapi.json", views.openapi, name="openapi"),
    path("api/docs", views.api_docs, name="api-docs"),
    path("admin/", admin.site.urls),
    path("favicon.ico", views.favicon, name="favicon"),
]

# Error pages in the site's layout, with a way back (DEBUG shows Django's own instead).
handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
