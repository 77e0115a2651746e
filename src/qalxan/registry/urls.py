from django.urls import path

from qalxan.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.SystemListView.as_view(), name="system_list"),
    path("overview/", views.OverviewView.as_view(), name="overview"),
    path("add/", views.SystemEditView.as_view(), name="system_add"),
    path("import/", views.SystemImportView.as_view(), name="system_import"),
    path("export.<str:fmt>", views.ExportView.as_view(), name="export"),
    path("<int:pk>/", views.SystemDetailView.as_view(), name="system_detail"),
    path("<int:pk>/edit/", views.SystemEditView.as_view(), name="system_edit"),
    path("<int:pk>/delete/", views.SystemDeleteView.as_view(), name="system_delete"),
    path("<int:pk>/step/", views.StepView.as_view(), name="system_step"),
    path("<int:pk>/assess/", views.AssessView.as_view(), name="system_assess"),
    path("<int:pk>/impact/", views.ImpactView.as_view(), name="system_impact"),
    path("<int:pk>/special-requirements/", views.SpecialRequirementsView.as_view(), name="specreq_file"),
    path("<int:pk>/extract.<str:fmt>", views.SystemExtractView.as_view(), name="system_extract"),
    path("special-requirements/<int:pk>/review/", views.ReviewView.as_view(), name="specreq_review"),
    path(
        "special-requirements/<int:pk>/download/",
        views.DocumentDownloadView.as_view(),
        name="specreq_download",
    ),
]
