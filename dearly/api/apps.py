from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dearly.api"
    label = "api"
