from django.urls import URLPattern, URLResolver

app_name = "commission"
urlpatterns: list[URLPattern | URLResolver] = []
