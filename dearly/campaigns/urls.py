from django.urls import path

from dearly.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new", views.campaign_new, name="new"),
    path("<uuid:public_id>/", views.campaign_detail, name="detail"),
    path("<uuid:public_id>/edit", views.campaign_edit, name="edit"),
    path("<uuid:public_id>/review", views.campaign_review, name="review"),
    path("<uuid:public_id>/launch", views.campaign_launch, name="launch"),
    path("<uuid:public_id>/cancel", views.campaign_cancel, name="cancel"),
]
