from django.urls import path

from dearly.touches import views, views_add

app_name = "touches"
urlpatterns = [
    path("", views.task_list, name="tasks"),
    path("new", views_add.task_new, name="task_new"),
    path("<uuid:public_id>/done", views.task_done, name="task_done"),
    path("<uuid:public_id>/cancel", views.task_cancel, name="task_cancel"),
]
