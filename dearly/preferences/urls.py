from django.urls import URLPattern, path

from dearly.preferences import views_centre, views_setup, views_unsubscribe

app_name = "preferences"

# Fixed words first: a token always holds a "." and so never matches them.
urlpatterns: list[URLPattern] = [
    path("setup/", views_setup.setup, name="setup"),
    path("u/<str:token>/", views_unsubscribe.one_click, name="unsubscribe"),
    path(
        "u/<str:token>/confirm/",
        views_unsubscribe.unsubscribe_confirm,
        name="unsubscribe_confirm",
    ),
    path("<str:token>/", views_centre.centre_page, name="centre"),
    path("<str:token>/pause/", views_centre.centre_pause, name="pause"),
    path("<str:token>/details/", views_centre.centre_details, name="details"),
    path("<str:token>/confirm/", views_centre.confirm, name="confirm"),
]
