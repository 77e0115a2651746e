from django.urls import path

from qalxan.hygiene import views

app_name = "hygiene"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("institutions/<int:pk>/", views.InstitutionView.as_view(), name="institution"),
    path("endpoints/", views.EndpointListView.as_view(), name="endpoint_list"),
    path("endpoints/<int:pk>/", views.EndpointDetailView.as_view(), name="endpoint_detail"),
    path("upload/", views.InventoryUploadView.as_view(), name="inventory_upload"),
    path("licences/", views.LicencesView.as_view(), name="licences"),
    path("licences/report.<str:fmt>", views.LicenceReportView.as_view(), name="licence_report"),
    path("licences/<int:org>/<int:product>/", views.LicenceDrillView.as_view(), name="licence_drill"),
    path("entitlements/<int:pk>/", views.EntitlementDetailView.as_view(), name="entitlement_detail"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("vulnerabilities/", views.FindingListView.as_view(), name="finding_list"),
    path("vulnerabilities/<int:pk>/", views.FindingDetailView.as_view(), name="finding_detail"),
    path("rules/", views.RuleListView.as_view(), name="rule_list"),
    path("rules/add/", views.RuleEditView.as_view(), name="rule_add"),
    path("rules/<int:pk>/", views.RuleEditView.as_view(), name="rule_edit"),
    path("advisories/", views.AdvisoryImportView.as_view(), name="advisory_import"),
]
