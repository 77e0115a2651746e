from django.urls import path

from qalxan.compliance import views

app_name = "compliance"
urlpatterns = [
    path("", views.AssessmentListView.as_view(), name="assessment_list"),
    path("assessments/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment_detail"),
    path("assessments/<int:pk>/step/", views.AssessmentStepView.as_view(), name="assessment_step"),
    path(
        "assessments/<int:pk>/report.<str:fmt>",
        views.AssessmentReportView.as_view(),
        name="assessment_report",
    ),
    path("items/<int:pk>/answer/", views.ItemAnswerView.as_view(), name="item_answer"),
    path("items/<int:pk>/review/", views.ItemReviewView.as_view(), name="item_review"),
    path("items/<int:pk>/evidence/", views.ItemEvidenceView.as_view(), name="item_evidence"),
    path("catalogues/", views.CatalogueListView.as_view(), name="catalogue_list"),
    path("catalogues/import/", views.CatalogueImportView.as_view(), name="catalogue_import"),
    path("catalogues/<int:pk>/", views.CatalogueDetailView.as_view(), name="catalogue_detail"),
    path("catalogues/<int:pk>/oscal.json", views.CatalogueOscalView.as_view(), name="catalogue_oscal"),
    path("catalogues/<int:pk>/mappings/", views.MappingAddView.as_view(), name="mapping_add"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/launch/", views.CampaignLaunchView.as_view(), name="campaign_add"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("campaigns/<int:pk>/action/", views.CampaignActionView.as_view(), name="campaign_action"),
    path("evidence/", views.EvidenceListView.as_view(), name="evidence_list"),
    path("evidence/<int:pk>/", views.EvidenceDetailView.as_view(), name="evidence_detail"),
    path("evidence/files/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("findings/", views.FindingListView.as_view(), name="finding_list"),
    path("findings/<int:pk>/", views.FindingDetailView.as_view(), name="finding_detail"),
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("plans/new/", views.PlanAddView.as_view(), name="plan_add"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("inspections/<int:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
    path(
        "inspections/<int:pk>/report.<str:fmt>",
        views.InspectionReportView.as_view(),
        name="inspection_report",
    ),
]
