from django.apps import AppConfig


class MailboxConfig(AppConfig):
    name = "dearly.mailbox"
    label = "mailbox"
