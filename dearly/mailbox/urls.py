from django.urls import path

from dearly.mailbox import views

app_name = "mailbox"

urlpatterns = [
    path("", views.mailbox, name="list"),
    path("<uuid:public_id>/", views.message, name="message"),
    path("<uuid:public_id>/raw/", views.raw, name="raw"),
]
