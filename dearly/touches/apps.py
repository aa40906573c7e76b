from django.apps import AppConfig


class TouchesConfig(AppConfig):
    name = "dearly.touches"
    label = "touches"
