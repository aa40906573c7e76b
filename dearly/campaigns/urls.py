from django.urls import path

from dearly.campaigns import recurring_views, views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new", views.campaign_new, name="new"),
    path("series/", recurring_views.series_list, name="series_list"),
    path("series/new", recurring_views.series_new, name="series_new"),
    path("series/<uuid:public_id>/", recurring_views.series_detail, name="series_detail"),
    path("series/<uuid:public_id>/edit", recurring_views.series_edit, name="series_edit"),
    path("series/<uuid:public_id>/status", recurring_views.series_status, name="series_status"),
    path("<uuid:public_id>/", views.campaign_detail, name="detail"),
    path("<uuid:public_id>/edit", views.campaign_edit, name="edit"),
    path("<uuid:public_id>/review", views.campaign_review, name="review"),
    path("<uuid:public_id>/launch", views.campaign_launch, name="launch"),
    path("<uuid:public_id>/cancel", views.campaign_cancel, name="cancel"),
]
