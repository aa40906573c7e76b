from django.apps import AppConfig


class MailboxConfig(AppConfig):
    name = "dearly.mailbox"
    label = "mailbox"

    def ready(self) -> None:
        from dearly.core import chores
        from dearly.mailbox import retention

        chores.register(retention.CHORE, every=retention.EVERY, fn=retention.forget_old_mail)
