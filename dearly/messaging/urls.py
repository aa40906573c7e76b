from django.urls import path

from dearly.messaging.views import preview, templates

app_name = "messaging"
urlpatterns = [
    path("", templates.template_list, name="list"),
    path("new", templates.template_new, name="new"),
    path("preview", preview.preview, name="preview"),
    path("fallbacks", preview.fallbacks, name="fallbacks"),
    path("contacts", preview.contact_picker, name="picker"),
    path("<uuid:public_id>/", templates.template_edit, name="edit"),
    path("<uuid:public_id>/archive", templates.template_archive, name="archive"),
    path("<uuid:public_id>/versions/", templates.version_list, name="versions"),
    path("<uuid:public_id>/versions/<int:number>/", templates.version_detail, name="version"),
]
