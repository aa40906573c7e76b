from django.urls import path

from dearly.contacts.views import detail, editing, listing, privacy

app_name = "contacts"
urlpatterns = [
    path("", listing.contact_list, name="list"),
    path("export.csv", listing.export_csv, name="export"),
    path("new", editing.contact_new, name="new"),
    path("<uuid:public_id>/", detail.contact_detail, name="detail"),
    path("<uuid:public_id>/edit", editing.contact_edit, name="edit"),
    path("<uuid:public_id>/consent", detail.consent, name="consent"),
    path("<uuid:public_id>/data.json", privacy.person_data, name="person_data"),
    path("<uuid:public_id>/erase", privacy.erase, name="erase"),
]
