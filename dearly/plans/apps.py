from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "dearly.plans"
    label = "plans"
