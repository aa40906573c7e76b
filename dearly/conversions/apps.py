import datetime as dt

from django.apps import AppConfig


class ConversionsConfig(AppConfig):
    name = "dearly.conversions"
    label = "conversions"

    def ready(self) -> None:
        from dearly.conversions.lapse import lapse_customers
        from dearly.core import chores

        chores.register("conversions.lapse", every=dt.timedelta(days=1), fn=lapse_customers)
