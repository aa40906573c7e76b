from django.urls import path

from dearly.rhythms import views

app_name = "rhythms"
urlpatterns = [
    path("", views.rhythm_list, name="list"),
    path("new", views.rhythm_new, name="new"),
    path("overdue/", views.overdue, name="overdue"),
    path("<uuid:public_id>/edit", views.rhythm_edit, name="edit"),
]
