from django.apps import AppConfig


class TouchesConfig(AppConfig):
    name = "dearly.touches"
    label = "touches"

    def ready(self) -> None:
        from dearly.contacts import panels
        from dearly.touches.contact_card import touches_context

        panels.register("touches", touches_context)
