from django.urls import path

from dearly.tracking import views

app_name = "tracking"
urlpatterns = [
    path("c/<str:token>", views.click, name="click"),
    path("o/<str:token>.gif", views.open_pixel, name="open"),
]
