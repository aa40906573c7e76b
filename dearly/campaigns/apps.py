from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "dearly.campaigns"
    label = "campaigns"
