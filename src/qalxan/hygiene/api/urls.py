from rest_framework.routers import SimpleRouter

from qalxan.hygiene.api import views

router = SimpleRouter()
router.register("inventories", views.InventoryViewSet, basename="hygiene-inventory")
router.register("endpoints", views.EndpointViewSet, basename="hygiene-endpoint")
router.register("licences", views.LicencePositionViewSet, basename="hygiene-licence")
router.register("entitlements", views.EntitlementViewSet, basename="hygiene-entitlement")
router.register("rules", views.RuleViewSet, basename="hygiene-rule")
router.register("coverage", views.CoverageViewSet, basename="hygiene-coverage")
router.register("vulnerabilities", views.FindingViewSet, basename="hygiene-vulnerability")
router.register("scores", views.ScoreViewSet, basename="hygiene-score")
urlpatterns = router.urls
