from django.urls import path

from dearly.journeys import views, views_edit, views_rehearsal

app_name = "journeys"
urlpatterns = [
    path("", views.journey_list, name="list"),
    path("new", views_edit.journey_new, name="new"),
    path("<uuid:public_id>/", views.journey_detail, name="detail"),
    path("<uuid:public_id>/edit", views_edit.journey_edit, name="edit"),
    path("<uuid:public_id>/status", views.journey_status, name="status"),
    path("<uuid:public_id>/rehearse", views_rehearsal.journey_rehearse, name="rehearse"),
    path("<uuid:public_id>/contacts", views_rehearsal.contact_picker, name="picker"),
]
