from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dearly.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from dearly.core import signin  # noqa: F401  (connects the sign-in receivers)
