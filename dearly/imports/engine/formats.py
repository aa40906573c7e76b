"""Other tools' contact exports, recognised by their headers and mapped without a hand.

Each format names the headers that identify it (all must be present, in any case), what
each of its columns feeds, and the consent evidence its export carries: the tool's opt-in
status per row, the opt-in time, and where it came from. Columns a format does not name
fall back to the ordinary suggestion by name. The person still sees the mapping and can
change it before anything runs.

Column sets, as the vendors document their exports:
- Mailchimp: an audience export is a ZIP of subscribed, unsubscribed and cleaned members'
  CSVs ("Email Address", "First Name", "Last Name", "Address", "Phone Number", "Birthday",
  MEMBER_RATING, OPTIN_TIME, OPTIN_IP, CONFIRM_TIME, CONFIRM_IP, LATITUDE, LONGITUDE,
  GMTOFF, DSTOFF, TIMEZONE, CC, REGION, LAST_CHANGED, LEID, EUID, NOTES, TAGS; the
  unsubscribed file adds UNSUB_TIME…, the cleaned file CLEAN_TIME…).
  https://mailchimp.com/help/view-export-contacts/ and
  https://mailchimp.com/developer/marketing/docs/account-exports/ (member_rating is a
  1-5 star rating; timestamp_opt the confirmed opt-in).
- Shopify customers: "Customer ID", "First Name", "Last Name", "Email", "Accepts Email
  Marketing", "Default Address Company", "Default Address Address1", "Default Address
  Address2", "Default Address City", "Default Address Province Code", "Default Address
  Country Code", "Default Address Zip", "Default Address Phone", "Phone", "Accepts SMS
  Marketing", "Total Spent", "Total Orders", "Note", "Tax Exempt", "Tags" (yes/no opt-ins).
  https://help.shopify.com/en/manual/customers/import-export-customers
- Square customers: "Reference ID", "First Name", "Last Name", "Email Address", "Phone
  Number", "Nickname", "Company Name", "Street Address 1", "Street Address 2", "City",
  "State", "Postal Code", "Birthday", "Memo", "Square Customer ID", "Creation Source",
  "First Visit", "Last Visit", "Transaction Count", "Total Spend", "Email Subscription
  Status", "Instant Profile", "Groups".
  https://squareup.com/help/us/en/article/5498-manage-your-customer-directory-online and
  https://squareup.com/help/ca/en/article/6149-manage-unsubscribed-customers
- HubSpot contacts: "Record ID", "First Name", "Last Name", "Email", "Phone Number",
  "Mobile Phone Number", "Street Address", "City", "Postal Code", "Country/Region",
  "Lifecycle Stage", "Contact owner", "Create Date", "Marketing contact status",
  "Unsubscribed from all email", "Legal basis for processing contact's data", "Notes".
  https://knowledge.hubspot.com/import-and-export/export-records and
  https://developers.hubspot.com/docs/api/crm/exports
- Google Contacts CSV (the 2023 layout; the older "Given Name"/"Family Name" one too):
  "First Name", "Middle Name", "Last Name", "Nickname", "Birthday", "Notes", "Labels",
  "E-mail 1 - Label", "E-mail 1 - Value", "Phone 1 - Label", "Phone 1 - Value",
  "Address 1 - Street", "Address 1 - City", "Address 1 - Postal Code",
  "Address 1 - Country", "Organization Name".
  https://support.google.com/contacts/answer/1069522
- vCard (.vcf, RFC 6350): read into the columns of VCARD_HEADERS (see sources).
"""

from dataclasses import dataclass, field

from dearly.imports.engine.mapping import suggest_mapping


@dataclass(frozen=True)
class Format:
    key: str
    name: str
    signature: frozenset[str]  # lower-cased headers that must all be present
    columns: dict[str, str]  # header (any case) -> target; "" = ignore
    wording: str = ""  # the consent the tool recorded, in words, for the evidence
    # Headers whose presence means every row's address opted in (or out) by the file itself.
    every_row_opted_in: bool = False
    unless: frozenset[str] = field(default_factory=frozenset)  # … except when these exist
    note: str = ""
    # A header that makes the whole file a list of addresses to suppress, and why.
    suppresses: dict[str, str] = field(default_factory=dict)

    def mapping(self, headers: list[str]) -> dict[str, str]:
        """The format's own columns as it says; the rest as suggested by name, unless a
        format column already feeds that field."""
        mapping = suggest_mapping(headers)
        by_lower = {k.lower(): v for k, v in self.columns.items()}
        ours: dict[str, str] = {}
        used: set[str] = set()
        for header in headers:
            target = by_lower.get(header.lower())
            if target is None:
                continue
            ours[header] = "" if target in used else target
            used.add(target)
        for header in headers:
            if header in ours:
                mapping[header] = ours[header]
            elif mapping[header] in used:
                mapping[header] = ""
        return mapping


def _sig(*headers: str) -> frozenset[str]:
    return frozenset(h.lower() for h in headers)


MAILCHIMP = Format(
    key="mailchimp",
    name="Mailchimp audience export",
    signature=_sig("Email Address", "MEMBER_RATING", "OPTIN_TIME", "LEID", "EUID"),
    columns={
        "Email Address": "email",
        "First Name": "first_name",
        "Last Name": "last_name",
        "Phone Number": "phone",
        "Address": "",  # one cell of "street  town  region  postcode  country": not split
        "Birthday": "",  # "MM/DD" without a year
        "MEMBER_RATING": "member_rating",
        "OPTIN_TIME": "",
        "CONFIRM_TIME": "opt_in_date",  # the confirmed opt-in; OPTIN_TIME is the request
        "LATITUDE": "latitude",
        "LONGITUDE": "longitude",
        "TIMEZONE": "time_zone",
        "CC": "country",
        "NOTES": "notes",
        "TAGS": "tags",
        "LAST_CHANGED": "",
        "REGION": "",
    },
    wording="Subscribed to the email list in Mailchimp",
    every_row_opted_in=True,
    unless=_sig("UNSUB_TIME", "CLEAN_TIME"),
    note="The subscribed members' file: every row opted in to email, with its confirmation "
    "time. The unsubscribed and cleaned members' files are imported without consent, and "
    "put each address on the suppression list (unsubscribed, or bounced).",
    suppresses={"unsub_time": "unsubscribed", "clean_time": "hard_bounce"},
)

SHOPIFY = Format(
    key="shopify",
    name="Shopify customers export",
    signature=_sig("Accepts Email Marketing", "Total Spent", "Total Orders", "Tax Exempt"),
    columns={
        "Customer ID": "",
        "First Name": "first_name",
        "Last Name": "last_name",
        "Email": "email",
        "Accepts Email Marketing": "email_opt_in",
        "Accepts SMS Marketing": "sms_opt_in",
        "Default Address Address1": "address_line1",
        "Address1": "address_line1",
        "Default Address Address2": "address_line2",
        "Address2": "address_line2",
        "Default Address City": "town",
        "City": "town",
        "Default Address Zip": "postcode",
        "Zip": "postcode",
        "Default Address Country Code": "country",
        "Country Code": "country",
        "Country": "",
        "Default Address Phone": "",
        "Phone": "phone",
        "Note": "notes",
        "Tags": "tags",
        "Total Spent": "",
        "Total Orders": "",
        "Tax Exempt": "",
    },
    wording="Agreed to marketing at checkout or in their account on the Shopify shop",
)

SQUARE = Format(
    key="square",
    name="Square customers export",
    signature=_sig("Square Customer ID", "Email Address", "Phone Number"),
    columns={
        "Reference ID": "",
        "Square Customer ID": "",
        "First Name": "first_name",
        "Last Name": "last_name",
        "Email Address": "email",
        "Phone Number": "phone",
        "Nickname": "preferred_name",
        "Street Address 1": "address_line1",
        "Street Address 2": "address_line2",
        "City": "town",
        "Postal Code": "postcode",
        "Birthday": "birthday",
        "Memo": "notes",
        "Groups": "tags",
        "Email Subscription Status": "email_opt_in",
        "Email Unsubscribed": "",  # an opt-out flag: "False" is no evidence of an opt-in
        "First Visit": "",
        "Last Visit": "",
        "Creation Source": "",
        "State": "",
    },
    wording="Subscribed to email marketing through Square",
)

HUBSPOT = Format(
    key="hubspot",
    name="HubSpot contacts export",
    signature=_sig("Record ID", "Email", "Lifecycle Stage"),
    columns={
        "Record ID": "",
        "First Name": "first_name",
        "Last Name": "last_name",
        "Email": "email",
        "Phone Number": "phone",
        "Mobile Phone Number": "",
        "Street Address": "address_line1",
        "City": "town",
        "Postal Code": "postcode",
        "Country/Region": "",  # a country's name, not its code
        "Lifecycle Stage": "lifecycle_stage",
        "Notes": "notes",
        "Contact owner": "",
        "Create Date": "",
        "Lead Status": "",
        "Marketing contact status": "",  # HubSpot's billing status, not consent
        "Unsubscribed from all email": "",
        "Legal basis for processing contact's data": "email_opt_in",
    },
    wording="Gave consent to marketing email, recorded in HubSpot as the legal basis",
)

GOOGLE = Format(
    key="google",
    name="Google Contacts export",
    signature=_sig("E-mail 1 - Value", "Phone 1 - Value"),
    columns={
        "First Name": "first_name",
        "Given Name": "first_name",
        "Last Name": "last_name",
        "Family Name": "last_name",
        "Name": "",
        "Nickname": "preferred_name",
        "E-mail 1 - Value": "email",
        "Phone 1 - Value": "phone",
        "Address 1 - Street": "address_line1",
        "Address 1 - City": "town",
        "Address 1 - Postal Code": "postcode",
        "Address 1 - Country": "",
        "Birthday": "birthday",
        "Notes": "notes",
        "Labels": "tags",
        "Group Membership": "tags",
    },
    note="An address book records no consent: choose below whether these people agreed.",
)

VCARD = Format(
    key="vcard",
    name="vCard address book",
    signature=frozenset(),  # known by the file, not its headers (see recognise)
    columns={
        "First Name": "first_name",
        "Last Name": "last_name",
        "Nickname": "preferred_name",
        "Email": "email",
        "Phone": "phone",
        "Birthday": "birthday",
        "Notes": "notes",
        "Categories": "tags",
        "Full Name": "",
        "Organization": "",
    },
    note="An address book records no consent: choose below whether these people agreed.",
)

FORMATS = (MAILCHIMP, SHOPIFY, SQUARE, HUBSPOT, GOOGLE, VCARD)
BY_HEADERS = (MAILCHIMP, SHOPIFY, SQUARE, HUBSPOT, GOOGLE)


def recognise(headers: list[str], file_format: str = "csv") -> Format | None:
    if file_format == "vcf":
        return VCARD
    present = {h.lower() for h in headers}
    return next((f for f in BY_HEADERS if f.signature <= present), None)


def by_key(key: str) -> Format | None:
    return next((f for f in FORMATS if f.key == key), None)


def opts_in_every_row(fmt: Format, headers: list[str]) -> bool:
    present = {h.lower() for h in headers}
    return fmt.every_row_opted_in and not (fmt.unless & present)


def suppression_for(fmt: Format | None, headers: list[str]) -> str:
    """The suppression reason a whole file stands for ("" for most files)."""
    if fmt is None:
        return ""
    present = {h.lower() for h in headers}
    return next((r for h, r in fmt.suppresses.items() if h in present), "")
