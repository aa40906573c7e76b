from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "dearly.web"
    label = "web"
