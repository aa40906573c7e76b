from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "dearly.delivery"
    label = "delivery"
