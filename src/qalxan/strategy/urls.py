from django.urls import URLPattern, URLResolver

app_name = "strategy"
urlpatterns: list[URLPattern | URLResolver] = []
