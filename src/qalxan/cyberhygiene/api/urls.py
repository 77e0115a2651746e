from rest_framework.routers import SimpleRouter

from qalxan.cyberhygiene.api import views

router = SimpleRouter()
router.register("leaks", views.LeakViewSet, basename="cyberhygiene-leak")
router.register("exposures", views.ExposureViewSet, basename="cyberhygiene-exposure")
router.register("victims", views.VictimViewSet, basename="cyberhygiene-victim")
router.register("admin-accounts", views.AdminAccountViewSet, basename="cyberhygiene-adminaccount")
router.register("training-enrolments", views.EnrolmentViewSet, basename="cyberhygiene-enrolment")
router.register("training", views.TrainingViewSet, basename="cyberhygiene-training")
router.register("phishing", views.PhishingViewSet, basename="cyberhygiene-phishing")
urlpatterns = router.urls
