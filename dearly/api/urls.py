from django.urls import URLPattern, URLResolver, path

from dearly.api.api import api

urlpatterns: list[URLPattern | URLResolver] = [path("v1/", api.urls)]
