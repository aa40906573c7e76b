import datetime as dt

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "dearly.web"
    label = "web"

    def ready(self) -> None:
        from dearly.core import chores
        from dearly.web import audit_words, figures

        audit_words.register()
        chores.register("web.figures", every=dt.timedelta(seconds=30), fn=figures.refresh)
