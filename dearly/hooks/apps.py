import datetime as dt

from django.apps import AppConfig


class HooksConfig(AppConfig):
    name = "dearly.hooks"
    label = "hooks"
    verbose_name = "Outbound webhooks"

    def ready(self) -> None:
        from dearly.core import chores
        from dearly.hooks import outbox, receivers, retention

        receivers.connect()
        chores.register("hooks.deliver", every=dt.timedelta(0), fn=outbox.deliver_due)
        chores.register(retention.CHORE, every=retention.EVERY, fn=retention.forget_old_deliveries)
