from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "dearly.tracking"
    label = "tracking"

    def ready(self) -> None:
        from anymail.signals import tracking

        from dearly.core import chores
        from dearly.tracking import besttime, retention
        from dearly.tracking.webhooks import on_tracking_event

        tracking.connect(on_tracking_event, dispatch_uid="dearly.tracking.webhooks")
        chores.register(besttime.CHORE, every=besttime.EVERY, fn=besttime.learn)
        chores.register(retention.CHORE, every=retention.EVERY, fn=retention.forget_old_events)
