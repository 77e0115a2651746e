from django.urls import path
from rest_framework.routers import SimpleRouter

from qalxan.core.api import views

router = SimpleRouter()
router.register("audit", views.AuditEntryViewSet)
router.register("auth/tokens", views.ApiTokenViewSet, basename="apitoken")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [
    path("auth/token/", views.TokenObtainView.as_view(), name="api-token"),
    path("me/", views.MeView.as_view(), name="api-me"),
    *router.urls,
]
