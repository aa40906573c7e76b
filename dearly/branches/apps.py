from django.apps import AppConfig


class BranchesConfig(AppConfig):
    name = "dearly.branches"
    label = "branches"
