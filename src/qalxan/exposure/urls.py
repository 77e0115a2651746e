from django.urls import path

from qalxan.exposure import views

app_name = "exposure"
urlpatterns = [
    path("", views.SiteListView.as_view(), name="site_list"),
    path("sites/<int:pk>/", views.SiteDetailView.as_view(), name="site_detail"),
    path("sites/<int:pk>/scan/", views.SiteScanView.as_view(), name="site_scan"),
    path("sites/<int:pk>/report.pdf", views.SiteReportView.as_view(), name="site_report"),
    path("findings/", views.FindingListView.as_view(), name="finding_list"),
    path("findings.<str:fmt>", views.FindingExportView.as_view(), name="finding_export"),
    path("findings/<int:pk>/", views.FindingDetailView.as_view(), name="finding_detail"),
    path("findings/<int:pk>/<str:step>/", views.FindingStepView.as_view(), name="finding_step"),
    path("scans/", views.ScanListView.as_view(), name="scan_list"),
    path("scans/<int:pk>/", views.ScanDetailView.as_view(), name="scan_detail"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("ranges/", views.HostingRangeListView.as_view(), name="range_list"),
    path("ranges/add/", views.HostingRangeEditView.as_view(), name="range_add"),
]
