from django.urls import path

from qalxan.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.IncidentListView.as_view(), name="incident_list"),
    path("report/", views.IncidentEditView.as_view(), name="incident_add"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("statistics.<str:fmt>", views.StatisticsExportView.as_view(), name="statistics_export"),
    path("measures/", views.MeasureListView.as_view(), name="measure_list"),
    path("measures/<int:pk>/confirm/", views.MeasureConfirmView.as_view(), name="measure_confirm"),
    path("measures/<int:pk>/verify/", views.MeasureVerifyView.as_view(), name="measure_verify"),
    path("quarantine/", views.QuarantineView.as_view(), name="quarantine"),
    path("sla/", views.SlaListView.as_view(), name="sla_list"),
    path("sla/<int:pk>/edit/", views.SlaEditView.as_view(), name="sla_edit"),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment"),
    path("<int:pk>/", views.IncidentDetailView.as_view(), name="incident_detail"),
    path("<int:pk>/edit/", views.IncidentEditView.as_view(), name="incident_edit"),
    path("<int:pk>/step/", views.StepView.as_view(), name="incident_step"),
    path("<int:pk>/comment/", views.CommentView.as_view(), name="incident_comment"),
    path("<int:pk>/attach/", views.AttachView.as_view(), name="incident_attach"),
    path("<int:pk>/relate/", views.RelateView.as_view(), name="incident_relate"),
    path("<int:pk>/measures/", views.MeasureRequestView.as_view(), name="measure_request"),
]
