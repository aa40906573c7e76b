from django.urls import URLPattern, URLResolver, include, path

from dearly.core import views, views_apikeys, views_audit, views_settings, views_team

app_name = "core"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.settings_home, name="home"),
    path("team/", views_team.team, name="team"),
    path("team/new/", views_team.member_new, name="member_new"),
    path("team/<int:member_id>/", views_team.member_edit, name="member_edit"),
    path("team/<int:member_id>/active/", views_team.member_active, name="member_active"),
    path("business/", views_settings.business, name="business"),
    path("keeping-data/", views_settings.retention, name="retention"),
    path("fields/", views_settings.field_list, name="fields"),
    path("fields/new/", views_settings.field_new, name="field_new"),
    path("fields/<slug:key>/", views_settings.field_edit, name="field_edit"),
    path("fields/<slug:key>/delete/", views_settings.field_delete, name="field_delete"),
    path("api-keys/", views_apikeys.key_list, name="keys"),
    path("api-keys/<uuid:public_id>/revoke/", views_apikeys.key_revoke, name="key_revoke"),
    path("audit/", views_audit.audit_log, name="audit"),
    path("branches/", include("dearly.branches.urls")),
]
