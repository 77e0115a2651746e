from rest_framework.routers import SimpleRouter

from qalxan.exposure.api import views

router = SimpleRouter()
router.register("sites", views.SiteViewSet, basename="exposure-site")
router.register("scans", views.ScanViewSet, basename="exposure-scan")
router.register("findings", views.FindingViewSet, basename="exposure-finding")
urlpatterns = router.urls
