from django.urls import path

from dearly.hooks import views

app_name = "hooks"

urlpatterns = [
    path("", views.hook_list, name="list"),
    path("<uuid:public_id>/", views.hook_detail, name="detail"),
    path("<uuid:public_id>/test/", views.hook_test, name="test"),
    path("<uuid:public_id>/secret/", views.hook_rotate, name="rotate"),
    path("<uuid:public_id>/delete/", views.hook_delete, name="delete"),
    path(
        "<uuid:public_id>/deliveries/<uuid:delivery_id>/replay/",
        views.delivery_replay,
        name="replay",
    ),
]
