from django.apps import AppConfig


class SignupConfig(AppConfig):
    name = "dearly.signup"
    label = "signup"
