from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from dearly.core import views_login
from dearly.web import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views_login.sign_in, name="login"),
    path("login/code/", views_login.login_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico where a page names no icon (plain text, JSON, the API docs).
    path("favicon.ico", RedirectView.as_view(url=static("dearly/favicon.svg"), permanent=True)),
]
