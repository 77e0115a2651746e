from rest_framework.routers import SimpleRouter

from qalxan.commission.api import views

router = SimpleRouter()
router.register("proposals", views.ProposalViewSet, basename="commission-proposal")
router.register("meetings", views.MeetingViewSet, basename="commission-meeting")
router.register("decisions", views.DecisionViewSet, basename="commission-decision")
router.register("tasks", views.TaskViewSet, basename="commission-task")
router.register("letters", views.LetterViewSet, basename="commission-letter")
urlpatterns = router.urls
