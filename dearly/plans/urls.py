from django.urls import path

from dearly.plans import views, views_playbooks

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new", views.plan_new, name="new"),
    path("playbooks/", views_playbooks.playbook_list, name="playbooks"),
    path("playbooks/<slug:key>/install", views_playbooks.playbook_install, name="install"),
    path("<uuid:public_id>/", views.plan_detail, name="detail"),
    path("<uuid:public_id>/edit", views.plan_edit, name="edit"),
]
