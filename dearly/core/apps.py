import datetime as dt

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dearly.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from dearly.core import (
            chores,
            once,
            signin,  # noqa: F401  (connects the sign-in receivers)
        )

        chores.register("core.prune_submissions", every=dt.timedelta(hours=6), fn=once.prune)
