from django.urls import path

from dearly.audiences import views

app_name = "segments"
urlpatterns = [
    path("", views.segment_list, name="list"),
    path("new", views.segment_new, name="new"),
    path("count", views.live_count, name="count"),
    path("<uuid:public_id>/edit", views.segment_edit, name="edit"),
    path("<uuid:public_id>/count", views.segment_count, name="segment_count"),
    path("<uuid:public_id>/delete", views.segment_delete, name="delete"),
]
