from django.urls import path

from qalxan.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.OrganizationListView.as_view(), name="organization_list"),
    path("add/", views.OrganizationEditView.as_view(), name="organization_add"),
    path("import/", views.OrganizationImportView.as_view(), name="organization_import"),
    path("import-users/", views.UserImportView.as_view(), name="user_import"),
    path("<int:pk>/", views.OrganizationDetailView.as_view(), name="organization_detail"),
    path("<int:pk>/edit/", views.OrganizationEditView.as_view(), name="organization_edit"),
    path("<int:pk>/delete/", views.OrganizationDeleteView.as_view(), name="organization_delete"),
    path("<int:org_pk>/contacts/add/", views.ContactEditView.as_view(), name="contact_add"),
    path("<int:org_pk>/contacts/<int:pk>/", views.ContactEditView.as_view(), name="contact_edit"),
    path("<int:org_pk>/members/add/", views.MembershipAddView.as_view(), name="membership_add"),
    path("members/<int:pk>/revoke/", views.MembershipRevokeView.as_view(), name="membership_revoke"),
]
