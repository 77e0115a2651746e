from django.urls import path

from qalxan.cyberhygiene import views

app_name = "cyberhygiene"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("report.<str:fmt>", views.ReportView.as_view(), name="report"),
    path("leaks/", views.LeakListView.as_view(), name="leak_list"),
    path("leaks/add/", views.LeakUploadView.as_view(), name="leak_add"),
    path("leaks/<int:pk>/", views.LeakDetailView.as_view(), name="leak_detail"),
    path("leaks/<int:pk>/notify/", views.LeakNotifyView.as_view(), name="leak_notify"),
    path("accounts/", views.ExposureListView.as_view(), name="exposure_list"),
    path("accounts/export.csv", views.ExposureExportView.as_view(), name="exposure_export"),
    path("accounts/<int:pk>/", views.ExposureDetailView.as_view(), name="exposure_detail"),
    path("accounts/<int:pk>/<str:step>/", views.ExposureStepView.as_view(), name="exposure_step"),
    path("victims/", views.VictimListView.as_view(), name="victim_list"),
    path("victims/<int:pk>/", views.VictimDetailView.as_view(), name="victim_detail"),
    path("victims/<int:pk>/incident/", views.VictimEscalateView.as_view(), name="victim_escalate"),
    path("admins/", views.AdminAccountListView.as_view(), name="admin_list"),
    path("admins/add/", views.AdminAccountAddView.as_view(), name="admin_add"),
    path("admins/import/", views.AdminAccountImportView.as_view(), name="admin_import"),
    path("training/", views.TrainingListView.as_view(), name="training_list"),
    path("training/import/", views.TrainingImportView.as_view(), name="training_import"),
    path("phishing/", views.PhishingListView.as_view(), name="phishing_list"),
    path("phishing/import/", views.PhishingImportView.as_view(), name="phishing_import"),
    path("phishing/import-gophish/", views.GophishImportView.as_view(), name="phishing_import_gophish"),
]
