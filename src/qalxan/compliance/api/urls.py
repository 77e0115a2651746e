from rest_framework.routers import SimpleRouter

from qalxan.compliance.api import views

router = SimpleRouter()
router.register("catalogues", views.CatalogueViewSet, basename="compliance-catalogue")
router.register("campaigns", views.CampaignViewSet, basename="compliance-campaign")
router.register("assessments", views.AssessmentViewSet, basename="compliance-assessment")
router.register("findings", views.FindingViewSet, basename="compliance-finding")
urlpatterns = router.urls
