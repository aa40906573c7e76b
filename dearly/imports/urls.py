from django.urls import URLPattern, URLResolver, path

from dearly.imports import views

app_name = "imports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.start, name="start"),
    path("<uuid:public_id>/", views.job_page, name="job"),
    path("<uuid:public_id>/progress/", views.progress, name="progress"),
    path("<uuid:public_id>/resume/", views.resume, name="resume"),
    path("<uuid:public_id>/errors.csv", views.error_report, name="errors"),
]
