"""A contact's "Touches" card: /contacts/<id>/touches/ (page older rows, log a call or visit)."""

from django.urls import path

from dearly.touches import views_contact

app_name = "contact_touches"
urlpatterns = [
    path("", views_contact.touches, name="list"),
    path("log", views_contact.log, name="log"),
]
