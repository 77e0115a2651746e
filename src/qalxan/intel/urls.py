from django.urls import path

from qalxan.intel import views

app_name = "intel"
urlpatterns = [
    path("", views.IndicatorListView.as_view(), name="indicator_list"),
    path("add/", views.IndicatorPasteView.as_view(), name="indicator_paste"),
    path("indicators/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("campaigns/<int:pk>/step/", views.CampaignStepView.as_view(), name="campaign_step"),
    path("sightings/", views.SightingListView.as_view(), name="sighting_list"),
    path("warning-lists/", views.WarningListListView.as_view(), name="warninglist_list"),
    path("warning-lists/<int:pk>/", views.WarningListDetailView.as_view(), name="warninglist_detail"),
    path("exchange/", views.ExchangeView.as_view(), name="exchange"),
]
