from rest_framework.routers import SimpleRouter

from qalxan.strategy.api import views

router = SimpleRouter()
router.register("strategies", views.StrategyViewSet, basename="strategy-strategy")
router.register("actions", views.ActionViewSet, basename="strategy-action")
router.register("indicators", views.IndicatorViewSet, basename="strategy-indicator")
router.register("reports", views.ProgressReportViewSet, basename="strategy-report")
router.register("indices", views.IndexFrameworkViewSet, basename="strategy-index")
urlpatterns = router.urls
