"""Other tools' exports are recognised by their headers and mapped with their consent
evidence; each file here is built from the vendor's documented column set (see
dearly/imports/engine/formats.py for the sources). An import never grants consent to a
suppressed address, whatever the file says."""

import csv
import io

import pytest

from dearly.contacts.models import Consent, ConsentEvent, Contact
from dearly.contacts.suppression import reasons_for, suppress
from dearly.imports import services
from dearly.imports.tests.helpers import actor_for, issues, write

pytestmark = pytest.mark.django_db

MAILCHIMP = [
    "Email Address", "First Name", "Last Name", "Address", "Phone Number", "Birthday",
    "MEMBER_RATING", "OPTIN_TIME", "OPTIN_IP", "CONFIRM_TIME", "CONFIRM_IP", "LATITUDE",
    "LONGITUDE", "GMTOFF", "DSTOFF", "TIMEZONE", "CC", "REGION", "LAST_CHANGED", "LEID",
    "EUID", "NOTES", "TAGS",
]  # fmt: skip
SHOPIFY = [
    "Customer ID", "First Name", "Last Name", "Email", "Accepts Email Marketing",
    "Default Address Company", "Default Address Address1", "Default Address Address2",
    "Default Address City", "Default Address Province Code", "Default Address Country Code",
    "Default Address Zip", "Default Address Phone", "Phone", "Accepts SMS Marketing",
    "Total Spent", "Total Orders", "Note", "Tax Exempt", "Tags",
]  # fmt: skip
SQUARE = [
    "Reference ID", "First Name", "Last Name", "Email Address", "Phone Number", "Nickname",
    "Company Name", "Street Address 1", "Street Address 2", "City", "State", "Postal Code",
    "Birthday", "Memo", "Square Customer ID", "Creation Source", "First Visit", "Last Visit",
    "Transaction Count", "Total Spend", "Email Subscription Status", "Instant Profile",
    "Groups",
]  # fmt: skip
HUBSPOT = [
    "Record ID", "First Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number",
    "Street Address", "City", "Postal Code", "Country/Region", "Lifecycle Stage",
    "Contact owner", "Create Date", "Marketing contact status", "Unsubscribed from all email",
    "Legal basis for processing contact's data", "Notes",
]  # fmt: skip
GOOGLE = [
    "First Name", "Middle Name", "Last Name", "Phonetic First Name", "Phonetic Middle Name",
    "Phonetic Last Name", "Name Prefix", "Name Suffix", "Nickname", "File As",
    "Organization Name", "Organization Title", "Organization Department", "Birthday",
    "Notes", "Photo", "Labels", "E-mail 1 - Label", "E-mail 1 - Value", "Phone 1 - Label",
    "Phone 1 - Value", "Address 1 - Label", "Address 1 - Formatted", "Address 1 - Street",
    "Address 1 - City", "Address 1 - PO Box", "Address 1 - Region",
    "Address 1 - Postal Code", "Address 1 - Country", "Address 1 - Extended Address",
]  # fmt: skip


def export(headers: list[str], *rows: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({h: row.get(h, "") for h in headers})
    return out.getvalue()


def upload(tmp_path, text: str, name: str, user):
    return services.store_path(actor=actor_for(user), source=write(tmp_path, text, name))


def run_as_recognised(job):
    """The mapping and evidence as recognised, accepted unchanged, then the run."""
    options = {
        "mapping": job.mapping,
        "grants": job.grants,
        "consent_wording": job.consent_wording,
        "consent_source": job.consent_source,
        "existing": "update-blanks",
    }
    assert services.configure(job=job, options=options) == []
    return services.run_job(job)


def consents(email: str) -> set[tuple[str, str]]:
    contact = Contact.objects.get(email=email)
    return set(
        Consent.objects.filter(contact=contact, status="granted").values_list("channel", "purpose")
    )


ADA = {
    "Email Address": "ada@example.com", "First Name": "Ada", "Last Name": "Lovelace",
    "Phone Number": "+44 7400 123456", "MEMBER_RATING": "4",
    "OPTIN_TIME": "2023-01-14 09:00:00", "CONFIRM_TIME": "2023-01-15 10:22:11",
    "TIMEZONE": "Europe/London", "CC": "GB", "LEID": "123", "EUID": "abc", "TAGS": "Regulars",
}  # fmt: skip


def test_a_mailchimp_subscribed_export_is_mapped_with_its_opt_in_evidence(tmp_path, owner):
    job = upload(tmp_path, export(MAILCHIMP, ADA), "subscribed_members_export_1.csv", owner)
    assert job.recognised_as == "mailchimp"
    assert job.mapping["Email Address"] == "email"
    assert job.mapping["MEMBER_RATING"] == "member_rating"
    assert job.mapping["CONFIRM_TIME"] == "opt_in_date"
    assert job.mapping["OPTIN_TIME"] == "" and job.mapping["LEID"] == ""
    assert job.grants == [["email", "marketing"]]
    assert "Mailchimp" in job.consent_source and job.consent_wording
    done = run_as_recognised(job)
    assert done.status == "done" and done.created_count == 1, issues(done)
    ada = Contact.objects.get(email="ada@example.com")
    assert (ada.time_zone, ada.country) == ("Europe/London", "GB")
    assert sorted(ada.tags.values_list("name", flat=True)) == ["Mailchimp rating 4", "Regulars"]
    event = ConsentEvent.objects.get(contact=ada)
    assert event.occurred_at.isoformat() == "2023-01-15T10:22:11+00:00"
    assert "Mailchimp audience export" in event.note


def test_a_mailchimp_unsubscribed_export_grants_no_consent(tmp_path, owner):
    headers = [*MAILCHIMP, "UNSUB_TIME", "UNSUB_CAMPAIGN_TITLE", "UNSUB_REASON"]
    row = {**ADA, "UNSUB_TIME": "2024-02-01 08:00:00"}
    job = upload(tmp_path, export(headers, row), "unsubscribed_members_export_1.csv", owner)
    assert job.recognised_as == "mailchimp" and job.grants == []
    run_as_recognised(job)
    assert consents("ada@example.com") == set()
    assert reasons_for(kind="email", value="ada@example.com") == {"unsubscribed"}
    # Nor can a later export from another tool subscribe them again.
    shopify = export(SHOPIFY, {"Email": "ada@example.com", "Accepts Email Marketing": "yes"})
    later = run_as_recognised(upload(tmp_path, shopify, "customers_export.csv", owner))
    assert consents("ada@example.com") == set()
    assert any("on the suppression list" in reason for _, _, reason in issues(later))


def test_a_mailchimp_cleaned_export_suppresses_its_bounced_addresses(tmp_path, owner):
    headers = [*MAILCHIMP, "CLEAN_TIME", "CLEAN_CAMPAIGN_TITLE", "CLEAN_CAMPAIGN_ID"]
    row = {**ADA, "CLEAN_TIME": "2024-02-01 08:00:00"}
    job = upload(tmp_path, export(headers, row), "cleaned_members_export_1.csv", owner)
    run_as_recognised(job)
    assert reasons_for(kind="email", value="ada@example.com") == {"hard_bounce"}


def test_a_shopify_export_grants_only_what_each_customer_accepted(tmp_path, owner):
    text = export(
        SHOPIFY,
        {"First Name": "Ada", "Email": "ada@example.com", "Accepts Email Marketing": "yes",
         "Accepts SMS Marketing": "yes", "Phone": "+447400123456",
         "Default Address City": "Leeds", "Default Address Country Code": "GB",
         "Total Spent": "120.00", "Tags": "VIP, Wholesale"},
        {"First Name": "Bo", "Email": "bo@example.com", "Accepts Email Marketing": "no",
         "Accepts SMS Marketing": "no"},
    )  # fmt: skip
    job = upload(tmp_path, text, "customers_export.csv", owner)
    assert job.recognised_as == "shopify"
    assert job.mapping["Accepts Email Marketing"] == "email_opt_in"
    assert job.mapping["Accepts SMS Marketing"] == "sms_opt_in"
    assert job.mapping["Default Address Phone"] == "" and job.mapping["Phone"] == "phone"
    run_as_recognised(job)
    assert consents("ada@example.com") == {("email", "marketing"), ("sms", "marketing")}
    assert consents("bo@example.com") == set()
    ada = Contact.objects.get(email="ada@example.com")
    assert (ada.town, ada.country) == ("Leeds", "GB")
    note = ConsentEvent.objects.filter(contact=ada, channel="email").get().note
    assert "opt-in status in the file: yes" in note


def test_a_square_export_reads_its_email_subscription_status(tmp_path, owner):
    text = export(
        SQUARE,
        {"First Name": "Ada", "Email Address": "ada@example.com", "Square Customer ID": "SQ1",
         "Phone Number": "07400 123456", "Email Subscription Status": "subscribed",
         "Groups": "Loyalty", "Birthday": "1985-12-10"},
        {"First Name": "Bo", "Email Address": "bo@example.com", "Square Customer ID": "SQ2",
         "Email Subscription Status": "unsubscribed"},
    )  # fmt: skip
    job = upload(tmp_path, text, "export-customers.csv", owner)
    assert job.recognised_as == "square"
    assert job.mapping["State"] == ""  # a region, not a lifecycle stage
    run_as_recognised(job)
    assert consents("ada@example.com") == {("email", "marketing")}
    assert consents("bo@example.com") == set()
    assert str(Contact.objects.get(email="ada@example.com").birthday) == "1985-12-10"


def test_a_hubspot_export_grants_consent_only_on_a_consent_legal_basis(tmp_path, owner):
    basis = "Legal basis for processing contact's data"
    text = export(
        HUBSPOT,
        {"Record ID": "1", "First Name": "Ada", "Email": "ada@example.com",
         "Lifecycle Stage": "marketingqualifiedlead", basis: "Freely given consent from contact"},
        {"Record ID": "2", "First Name": "Bo", "Email": "bo@example.com",
         "Lifecycle Stage": "customer", basis: "Legitimate interest - existing customer",
         "Unsubscribed from all email": "false"},
    )  # fmt: skip
    job = upload(tmp_path, text, "hubspot-crm-exports-all-contacts.csv", owner)
    assert job.recognised_as == "hubspot"
    assert job.mapping["Marketing contact status"] == ""
    run_as_recognised(job)
    assert consents("ada@example.com") == {("email", "marketing")}
    assert consents("bo@example.com") == set()
    stages = dict(Contact.objects.values_list("email", "lifecycle_stage"))
    assert stages == {"ada@example.com": "lead", "bo@example.com": "customer"}


def test_a_google_contacts_export_maps_labels_to_tags_and_records_no_consent(tmp_path, owner):
    text = export(
        GOOGLE,
        {"First Name": "Ada", "Last Name": "Lovelace", "E-mail 1 - Label": "* Home",
         "E-mail 1 - Value": "ada@example.com", "Phone 1 - Value": "07400 123456",
         "Labels": "* myContacts ::: Book club", "Birthday": "1985-12-10"},
    )  # fmt: skip
    job = upload(tmp_path, text, "contacts.csv", owner)
    assert job.recognised_as == "google" and job.grants == [] and job.consent_wording == ""
    run_as_recognised(job)
    ada = Contact.objects.get(email="ada@example.com")
    assert list(ada.tags.values_list("name", flat=True)) == ["Book club"]
    assert ada.phone == "+447400123456" and consents("ada@example.com") == set()


VCF = """BEGIN:VCARD
VERSION:3.0
N:Lovelace;Ada;;;
FN:Ada Lovelace
EMAIL;TYPE=INTERNET:ada@example.com
TEL;TYPE=CELL:+44 7400 123456
BDAY:19851210
CATEGORIES:Book club,Friends
NOTE:Met at the shop
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:Bo Brown
N:Brown;Bo;;;
EMAIL:not-an-email
END:VCARD
"""


def test_a_vcard_file_is_read_card_by_card(tmp_path, owner):
    job = upload(tmp_path, VCF, "contacts.vcf", owner)
    assert job.file_format == "vcf" and job.recognised_as == "vcard"
    done = run_as_recognised(job)
    ada = Contact.objects.get()
    assert (ada.first_name, ada.last_name, str(ada.birthday)) == ("Ada", "Lovelace", "1985-12-10")
    assert sorted(ada.tags.values_list("name", flat=True)) == ["Book club", "Friends"]
    assert [(line, column) for line, column, _ in issues(done)] == [(12, "Email")]


def test_an_erased_person_is_not_imported_from_an_export(tmp_path, owner):
    suppress(kind="email", value="ada@example.com", reason="erased", source="tests")
    job = upload(tmp_path, export(SHOPIFY, {"Email": "ada@example.com",
                 "Accepts Email Marketing": "yes"}), "customers_export.csv", owner)  # fmt: skip
    done = run_as_recognised(job)
    assert not Contact.objects.exists()
    assert "asked to be erased" in issues(done)[0][2]


def test_a_suppressed_address_is_never_resubscribed_by_an_export(tmp_path, owner):
    suppress(kind="email", value="ada@example.com", reason="unsubscribed", source="tests")
    job = upload(tmp_path, export(MAILCHIMP, ADA), "subscribed_members_export_1.csv", owner)
    done = run_as_recognised(job)
    assert consents("ada@example.com") == set()
    assert any("on the suppression list" in reason for _, _, reason in issues(done))


def test_the_mapping_page_says_what_was_recognised_and_shows_the_mapping(owner):
    from dearly.conftest import client_for
    from dearly.imports.tests.helpers import upload as post_file

    client = client_for(owner)
    content = export(SHOPIFY, {"Email": "ada@example.com", "Accepts Email Marketing": "yes"})
    response = post_file(client, content.encode(), "customers_export.csv")
    page = client.get(response.url).content.decode()
    assert "Recognised as a <strong>Shopify customers export</strong>" in page
    position = SHOPIFY.index("Accepts Email Marketing")
    chosen = page.split(f'id="map-{position}"', 1)[1].split("</select>", 1)[0]
    assert '<option value="email_opt_in" selected>' in chosen
    assert "Agreed to marketing at checkout" in page  # the evidence, ready to be checked


def test_the_command_line_imports_a_recognised_export_with_its_evidence(tmp_path, capsys):
    from django.core.management import call_command

    path = write(tmp_path, export(MAILCHIMP, ADA), "subscribed_members_export_1.csv")
    call_command("import", "contacts", str(path))
    assert "created 1" in capsys.readouterr().out
    assert consents("ada@example.com") == {("email", "marketing")}
