from rest_framework.routers import SimpleRouter

from qalxan.incidents.api import views

router = SimpleRouter()
# Other prefixes first: the incident viewset's empty prefix would otherwise take "measures" as an incident id.
router.register("measures", views.MeasureViewSet, basename="incidents-measure")
router.register(r"", views.IncidentViewSet, basename="incident")
urlpatterns = router.urls
