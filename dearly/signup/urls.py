from django.urls import path

from dearly.signup import views

app_name = "signup"
urlpatterns = [
    path("", views.signup, name="signup"),
    path("thanks/", views.signup_thanks, name="signup_thanks"),
]
