from django.urls import path
from rest_framework.routers import SimpleRouter

from qalxan.intel.api import views

router = SimpleRouter()
router.register("indicators", views.IndicatorViewSet, basename="intel-indicator")
router.register("campaigns", views.CampaignViewSet, basename="intel-campaign")
router.register("sightings", views.SightingViewSet, basename="intel-sighting")
urlpatterns = [
    path("export/stix/", views.StixExportView.as_view(), name="intel-export-stix"),
    path("export/misp/", views.MispExportView.as_view(), name="intel-export-misp"),
    path("exchange/import/", views.ExchangeImportView.as_view(), name="intel-exchange-import"),
    *router.urls,
]
