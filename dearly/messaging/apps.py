from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "dearly.messaging"
    label = "messaging"
