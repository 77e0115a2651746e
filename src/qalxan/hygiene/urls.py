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
    path("entitlements/add/", views.EntitlementEditView.as_view(), name="entitlement_add"),
    path("entitlements/<int:pk>/", views.EntitlementDetailView.as_view(), name="entitlement_detail"),
    path("entitlements/<int:pk>/edit/", views.EntitlementEditView.as_view(), name="entitlement_edit"),
    path("entitlements/<int:pk>/delete/", views.EntitlementDeleteView.as_view(), name="entitlement_delete"),
    path("products/", views.ProductListView.as_view(), name="product_list"),
    path("products/add/", views.ProductEditView.as_view(), name="product_add"),
    path("products/<int:pk>/", views.ProductEditView.as_view(), name="product_edit"),
    path("categories/", views.CategoryListView.as_view(), name="category_list"),
    path("categories/add/", views.CategoryEditView.as_view(), name="category_add"),
    path("categories/<int:pk>/", views.CategoryEditView.as_view(), name="category_edit"),
    path("weights/", views.WeightsView.as_view(), name="weights"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("vulnerabilities/", views.FindingListView.as_view(), name="finding_list"),
    path("vulnerabilities/<int:pk>/", views.FindingDetailView.as_view(), name="finding_detail"),
    path("rules/", views.RuleListView.as_view(), name="rule_list"),
    path("rules/add/", views.RuleEditView.as_view(), name="rule_add"),
    path("rules/<int:pk>/", views.RuleEditView.as_view(), name="rule_edit"),
    path("advisories/", views.AdvisoryImportView.as_view(), name="advisory_import"),
]
