"""The merge fields a template may use, and how each reads in a sentence.

A template sees four namespaces of primitives: `contact`, `branch`, `business` and `links`.
Custom contact fields appear under `contact.custom.<key>`.
"""

CONTACT_FIELDS = {
    "first_name": "first name",
    "last_name": "last name",
    "preferred_name": "preferred name",
    "name": "name",
    "email": "email address",
    "town": "town",
    "postcode": "postcode",
    "country": "country",
    "language": "language",
    "birthday": "birthday",
    "anniversary": "anniversary",
    "lifecycle_stage": "lifecycle stage",
    "tags": "tags",
    "custom": "custom fields",
}
BRANCH_FIELDS = {
    "name": "branch name",
    "address": "branch address",
    "town": "branch town",
    "phone": "branch phone",
    "email": "branch email",
    "opening_hours": "opening hours",
}
BUSINESS_FIELDS = {"name": "business name", "postal_address": "postal address"}
LINK_FIELDS = {
    "unsubscribe_url": "unsubscribe link",
    "preferences_url": "preferences link",
}
NAMESPACES: dict[str, dict[str, str]] = {
    "contact": CONTACT_FIELDS,
    "branch": BRANCH_FIELDS,
    "business": BUSINESS_FIELDS,
    "links": LINK_FIELDS,
}
UNSUBSCRIBE = "links.unsubscribe_url"
POSTAL_ADDRESS = "business.postal_address"


def label(field: str) -> str:
    """'contact.first_name' -> 'first name'; 'contact.custom.shoe_size' -> 'shoe size'."""
    namespace, _, rest = field.partition(".")
    if namespace == "contact" and rest.startswith("custom."):
        return rest.removeprefix("custom.").replace("_", " ")
    return NAMESPACES.get(namespace, {}).get(rest, rest.replace("_", " "))


def is_known(field: str, custom_keys: frozenset[str]) -> bool:
    namespace, _, rest = field.partition(".")
    if namespace not in NAMESPACES:
        return False
    if not rest:
        return True
    if namespace == "contact" and (rest == "custom" or rest.startswith("custom.")):
        key = rest.removeprefix("custom").lstrip(".")
        return not key or key.split(".")[0] in custom_keys
    return rest.split(".")[0] in NAMESPACES[namespace]
