"""The TAXII 2.1 server, mounted at the site root (/taxii2/)."""

from django.urls import include, path

from qalxan.intel import taxii

taxii_patterns = (
    [
        path("", taxii.discovery, name="discovery"),
        path("api/", taxii.api_root, name="api_root"),
        path("api/collections/", taxii.collections, name="collections"),
        path("api/collections/<str:collection_id>/", taxii.collection, name="collection"),
        path("api/collections/<str:collection_id>/objects/", taxii.objects, name="objects"),
        path("api/collections/<str:collection_id>/manifest/", taxii.manifest, name="manifest"),
        path(
            "api/collections/<str:collection_id>/objects/<str:object_id>/", taxii.object_detail, name="object"
        ),
        path(
            "api/collections/<str:collection_id>/objects/<str:object_id>/versions/",
            taxii.object_versions,
            name="versions",
        ),
    ],
    "taxii",
)
urlpatterns = [path("taxii2/", include(taxii_patterns))]
