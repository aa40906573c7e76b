from django.urls import include, path

urlpatterns = [
    path("", include("dearly.web.urls")),
    path("contacts/", include("dearly.contacts.urls")),
    path("tasks/", include("dearly.touches.urls")),
    path("import/", include("dearly.imports.urls")),
    path("manage/", include("dearly.core.urls")),
    path("segments/", include("dearly.audiences.urls")),
    path("templates/", include("dearly.messaging.urls")),
    path("delivery/", include("dearly.delivery.urls")),
    path("campaigns/", include("dearly.campaigns.urls")),
    path("rhythms/", include("dearly.rhythms.urls")),
    path("plans/", include("dearly.plans.urls")),
    path("journeys/", include("dearly.journeys.urls")),
    path("conversions/", include("dearly.conversions.urls")),
    path("mailbox/", include("dearly.mailbox.urls")),
    path("t/", include("dearly.tracking.urls")),
    path("p/", include("dearly.preferences.urls")),
    path("webhooks/anymail/", include("dearly.delivery.provider_webhooks")),
    path("api/", include("dearly.api.urls")),
]
