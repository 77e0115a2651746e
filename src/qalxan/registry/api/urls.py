from rest_framework.routers import SimpleRouter

from qalxan.registry.api import views

router = SimpleRouter()
router.register("systems", views.InformationSystemViewSet, basename="registry-system")
router.register("special-requirements", views.SpecialRequirementsViewSet, basename="registry-specreq")
router.register("sectors", views.RegistrySectorViewSet, basename="registry-sector")
router.register("criteria", views.CriterionViewSet, basename="registry-criterion")
urlpatterns = router.urls
