from django.urls import path

from dearly.conversions import views

app_name = "conversions"
urlpatterns = [
    path("settings/", views.conversion_settings, name="settings"),
]
