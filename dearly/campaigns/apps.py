from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "dearly.campaigns"
    label = "campaigns"

    def ready(self) -> None:
        from dearly.campaigns import recurring_issues
        from dearly.core import chores

        chores.register(
            recurring_issues.CHORE,
            every=recurring_issues.EVERY,
            fn=recurring_issues.run,
        )
