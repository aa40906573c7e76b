from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "dearly.tracking"
    label = "tracking"

    def ready(self) -> None:
        from dearly.core import chores
        from dearly.tracking import besttime, retention

        chores.register(besttime.CHORE, every=besttime.EVERY, fn=besttime.learn)
        chores.register(retention.CHORE, every=retention.EVERY, fn=retention.forget_old_events)
