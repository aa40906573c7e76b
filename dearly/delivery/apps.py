from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "dearly.delivery"
    label = "delivery"

    def ready(self) -> None:
        from anymail.signals import tracking

        from dearly.delivery.webhooks import on_tracking_event

        tracking.connect(on_tracking_event, dispatch_uid="dearly.delivery.webhooks")
