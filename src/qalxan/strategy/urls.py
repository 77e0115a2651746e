from django.urls import URLPattern, URLResolver, path

from qalxan.strategy import views

app_name = "strategy"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("strategies/", views.StrategyListView.as_view(), name="strategy_list"),
    path("strategies/add/", views.StrategyEditView.as_view(), name="strategy_add"),
    path("strategies/<int:pk>/", views.StrategyDetailView.as_view(), name="strategy_detail"),
    path("strategies/<int:pk>/edit/", views.StrategyEditView.as_view(), name="strategy_edit"),
    path("strategies/<int:pk>/structure/", views.GoalAddView.as_view(), name="structure_add"),
    path("strategies/<int:pk>/groups/", views.MonitoringGroupAddView.as_view(), name="group_add"),
    path("strategies/<int:pk>/report/<str:fmt>/", views.AnnualReportView.as_view(), name="annual_report"),
    path("actions/", views.ActionListView.as_view(), name="action_list"),
    path("actions/import/", views.ActionImportView.as_view(), name="action_import"),
    path("actions/add/", views.ActionEditView.as_view(), name="action_add"),
    path("actions/<int:pk>/", views.ActionDetailView.as_view(), name="action_detail"),
    path("actions/<int:pk>/edit/", views.ActionEditView.as_view(), name="action_edit"),
    path("actions/<int:pk>/report/", views.ReportCreateView.as_view(), name="report_add"),
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/edit/", views.ReportEditView.as_view(), name="report_edit"),
    path("reports/<int:pk>/step/<str:step>/", views.ReportStepView.as_view(), name="report_step"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("indicators/", views.IndicatorListView.as_view(), name="indicator_list"),
    path("indicators/add/", views.IndicatorEditView.as_view(), name="indicator_add"),
    path("indicators/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
    path("indicators/<int:pk>/edit/", views.IndicatorEditView.as_view(), name="indicator_edit"),
    path("indicators/<int:pk>/compute/", views.IndicatorComputeView.as_view(), name="indicator_compute"),
    path("indicators/<int:pk>/value/", views.IndicatorValueView.as_view(), name="indicator_value"),
    path("indices/", views.FrameworkListView.as_view(), name="framework_list"),
    path("indices/<int:pk>/", views.FrameworkDetailView.as_view(), name="framework_detail"),
    path("indices/<int:pk>/assess/", views.AssessmentCreateView.as_view(), name="assessment_add"),
    path("assessments/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment_detail"),
]
