from django.apps import AppConfig


class AudiencesConfig(AppConfig):
    name = "dearly.audiences"
    label = "audiences"
