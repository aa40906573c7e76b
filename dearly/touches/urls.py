from django.urls import path

from dearly.touches import views

app_name = "touches"
urlpatterns = [
    path("", views.task_list, name="tasks"),
    path("<uuid:public_id>/done", views.task_done, name="task_done"),
    path("<uuid:public_id>/cancel", views.task_cancel, name="task_cancel"),
]
