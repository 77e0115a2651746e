from django.contrib.auth.views import LogoutView
from django.urls import path

from qalxan.core.views import pages

app_name = "core"
urlpatterns = [
    path("", pages.home, name="home"),
    path("account/login/", pages.SignInView.as_view(), name="login"),
    path("account/logout/", LogoutView.as_view(), name="logout"),
    path("account/two-factor/setup/", pages.otp_setup, name="otp_setup"),
    path("account/two-factor/verify/", pages.otp_verify, name="otp_verify"),
    path("account/two-factor/disable/", pages.otp_disable, name="otp_disable"),
    path("account/profile/", pages.profile, name="profile"),
    path("account/tokens/<int:pk>/revoke/", pages.token_revoke, name="token_revoke"),
    path("notifications/", pages.notifications, name="notifications"),
    path("audit/", pages.AuditListView.as_view(), name="audit_list"),
    path("audit/export.csv", pages.AuditExportView.as_view(), name="audit_export"),
    path("audit/<int:pk>/", pages.AuditDetailView.as_view(), name="audit_detail"),
    path("users/", pages.UserListView.as_view(), name="user_list"),
    path("users/<int:pk>/", pages.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", pages.UserEditView.as_view(), name="user_edit"),
    path("settings/roles/", pages.RolePolicyView.as_view(), name="rolepolicy_list"),
]
