from django.apps import AppConfig


class PreferencesConfig(AppConfig):
    name = "dearly.preferences"
    label = "preferences"
