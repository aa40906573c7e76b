from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "dearly.imports"
    label = "imports"
