import datetime as dt

from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "dearly.journeys"
    label = "journeys"

    def ready(self) -> None:
        from dearly.core import chores
        from dearly.core.signals import contact_event
        from dearly.journeys import dates, stepper, triggers

        contact_event.connect(triggers.on_contact_event, dispatch_uid="journeys.contact_event")
        # The stepper runs every worker loop (period zero); SKIP LOCKED shares the work.
        chores.register("journeys.step", every=dt.timedelta(0), fn=stepper.step_due)
        chores.register("journeys.dates", every=dt.timedelta(hours=1), fn=dates.enrol_due)
