from django.urls import URLPattern, URLResolver, include, path

from dearly.core import (
    views,
    views_apikeys,
    views_audit,
    views_profile,
    views_security,
    views_settings,
)

app_name = "core"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.settings_home, name="home"),
    path("profile/", views_profile.profile_page, name="profile"),
    path("profile/password/", views_profile.password_change, name="password_change"),
    path("team/", include("dearly.branches.urls_team")),
    path("business/", views_settings.business, name="business"),
    path("keeping-data/", views_settings.retention, name="retention"),
    path("fields/", include("dearly.contacts.urls_fields")),
    path("api-keys/", views_apikeys.key_list, name="keys"),
    path("api-keys/<uuid:public_id>/revoke/", views_apikeys.key_revoke, name="key_revoke"),
    path("audit/", views_audit.audit_log, name="audit"),
    path("security/", views_security.security, name="security"),
    path("security/two-factor/", views_security.two_factor_setup, name="two_factor_setup"),
    path("security/two-factor/off/", views_security.two_factor_off, name="two_factor_off"),
    path("security/recovery-codes/", views_security.recovery_codes, name="recovery_codes"),
    path("security/sessions/<int:sign_in_id>/end/", views_security.session_end, name="session_end"),
    path("branches/", include("dearly.branches.urls")),
]
