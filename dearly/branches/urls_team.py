"""Settings → Team, included by core's settings URLs (names stay in its namespace)."""

from django.urls import URLPattern, path

from dearly.branches import views_team

urlpatterns: list[URLPattern] = [
    path("", views_team.team, name="team"),
    path("new/", views_team.member_new, name="member_new"),
    path("<int:member_id>/", views_team.member_edit, name="member_edit"),
    path("<int:member_id>/active/", views_team.member_active, name="member_active"),
]
