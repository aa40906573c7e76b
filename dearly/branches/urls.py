"""Included by dearly/core/urls.py under manage/branches/, so names are core:branch_*."""

from django.urls import path

from dearly.branches import views

urlpatterns = [
    path("", views.branch_list, name="branch_list"),
    path("new/", views.branch_new, name="branch_new"),
    path("<uuid:public_id>/", views.branch_edit, name="branch_edit"),
]
