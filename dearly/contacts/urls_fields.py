"""Settings → Custom fields, included by core's settings URLs (names stay in its namespace)."""

from django.urls import URLPattern, path

from dearly.contacts.views import field_definitions as views

urlpatterns: list[URLPattern] = [
    path("", views.field_list, name="fields"),
    path("new/", views.field_new, name="field_new"),
    path("<slug:key>/", views.field_edit, name="field_edit"),
    path("<slug:key>/delete/", views.field_delete, name="field_delete"),
]
