from django.urls import path

from dearly.delivery import views

app_name = "delivery"
urlpatterns = [
    path("budget/", views.budget, name="budget"),
]
