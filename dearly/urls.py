from django.urls import include, path

urlpatterns = [
    path("", include("dearly.web.urls")),
    path("contacts/", include("dearly.contacts.urls")),
    path("import/", include("dearly.imports.urls")),
    path("manage/", include("dearly.core.urls")),
    path("api/", include("dearly.api.urls")),
]
