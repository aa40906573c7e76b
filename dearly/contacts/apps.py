from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "dearly.contacts"
    label = "contacts"
