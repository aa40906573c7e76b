"""A template's "Send a test to yourself": /templates/<id>/test, beside the editor."""

from django.urls import path

from dearly.delivery import views_send_test

app_name = "send_test"
urlpatterns = [path("", views_send_test.send_test, name="send")]
