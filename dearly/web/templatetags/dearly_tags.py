"""Small display helpers shared by every page."""

from django import template

register = template.Library()

ACTION_LABELS = {
    "contact.created": "Contact created",
    "contact.updated": "Details changed",
    "contact.imported": "Imported",
    "contact.tags_changed": "Tags changed",
    "contact.point_added": "Address added",
    "contact.point_removed": "Address removed",
    "contact.erased": "Erased",
    "contact.exported": "Data exported",
    "contacts.exported": "Contacts exported",
    "consent.grant": "Consent granted",
    "consent.withdraw": "Consent withdrawn",
    "suppression.lifted": "Unsubscribe lifted",
    "member.created": "Account created",
    "member.role_changed": "Role changed",
    "member.deactivated": "Account deactivated",
    "settings.changed": "Settings changed",
    "apikey.created": "API key created",
    "apikey.revoked": "API key revoked",
}


@register.filter
def action_label(action: str) -> str:
    """A readable name for an audit action; unknown ones read as 'Thing: verb'."""
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    subject, _, verb = action.partition(".")
    return f"{subject.replace('_', ' ').capitalize()}: {verb.replace('_', ' ')}"
