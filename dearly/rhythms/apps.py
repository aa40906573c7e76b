import datetime as dt

from django.apps import AppConfig


class RhythmsConfig(AppConfig):
    name = "dearly.rhythms"
    label = "rhythms"

    def ready(self) -> None:
        from dearly.core import chores
        from dearly.rhythms import fill, snapshot

        chores.register("rhythms.snapshot", every=dt.timedelta(seconds=60), fn=snapshot.refresh)
        chores.register("rhythms.fill", every=dt.timedelta(minutes=15), fn=fill.run)
