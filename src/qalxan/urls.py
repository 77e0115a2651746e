"""URL map: UI pages per app, the REST API under /api/v1/, and its schema and docs."""

from importlib.util import find_spec

from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from qalxan.core.views.pages import set_language

api_v1: list[URLPattern | URLResolver] = [
    path("", include("qalxan.core.api.urls")),
    path("", include("qalxan.organizations.api.urls")),
    *(path(f"{module}/", include(f"qalxan.{module}.api.urls")) for module in settings.MODULES),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

# A module may serve routes outside its own prefix (a protocol endpoint such as /taxii2/) from root_urls.py.
root_modules = [m for m in settings.MODULES if find_spec(f"qalxan.{m}.root_urls") is not None]

urlpatterns = [
    *(path("", include(f"qalxan.{module}.root_urls")) for module in root_modules),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", include(api_v1)),
    path("organizations/", include("qalxan.organizations.urls")),
    *(path(f"{module}/", include(f"qalxan.{module}.urls")) for module in settings.MODULES),
    path("", include("qalxan.core.urls")),
]

handler403 = "qalxan.core.views.errors.forbidden"
handler404 = "qalxan.core.views.errors.not_found"
handler500 = "qalxan.core.views.errors.server_error"
