from rest_framework.routers import SimpleRouter

from qalxan.organizations.api import views

router = SimpleRouter()
router.register("organizations", views.OrganizationViewSet)
router.register("contacts", views.ContactViewSet)
router.register("memberships", views.MembershipViewSet)
router.register("sectors", views.SectorViewSet)
router.register("users", views.UserViewSet)
urlpatterns = router.urls
