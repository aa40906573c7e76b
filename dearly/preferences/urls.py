from django.urls import URLPattern, path

app_name = "preferences"

urlpatterns: list[URLPattern] = []
