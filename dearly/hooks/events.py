"""The events a webhook subscriber can choose, with the words the settings page shows."""

from django.db import models


class EventType(models.TextChoices):
    CONTACT_CREATED = "contact.created", "A contact was added"
    CONTACT_UPDATED = "contact.updated", "A contact's details, tags or addresses changed"
    CONTACT_ERASED = "contact.erased", "A contact was erased"
    CONSENT_CHANGED = "consent.changed", "Consent was given or withdrawn"
    CONTACT_UNSUBSCRIBED = "contact.unsubscribed", "Someone unsubscribed from an email"
    MESSAGE_SENT = "message.sent", "A message was sent"
    MESSAGE_BOUNCED = "message.bounced", "A message bounced"
    MESSAGE_COMPLAINED = "message.complained", "A message was marked as spam"
    MESSAGE_REPLIED = "message.replied", "Someone replied to a message"
    PURCHASE_RECORDED = "purchase.recorded", "A purchase was recorded"
    TOUCH_LOGGED = "touch.logged", "A call, visit or other touch was logged"
    TEST = "webhook.test", "Test event (sent from the settings page)"


# What a subscriber may choose; the test event is sent on request, to one subscription.
CHOOSABLE = [choice for choice in EventType if choice != EventType.TEST]
