"""Who a campaign reaches: the sender's audience, narrowed by consent exactly as the outbox
narrows it, so the count in the review is the number of rows launching writes."""

from django.db.models import QuerySet

from dearly.audiences.queries import audience_for
from dearly.audiences.rules import empty_tree
from dearly.campaigns.models import Campaign
from dearly.contacts.models import Contact
from dearly.core.models import Membership
from dearly.delivery.outbox import eligible

CHANNEL = "email"


def audience_of(member: Membership, campaign: Campaign) -> QuerySet[Contact]:
    """The segment's contacts in the member's scope; no segment means all of them."""
    return audience_for(member, campaign.segment or empty_tree())


def recipients_of(member: Membership, campaign: Campaign) -> QuerySet[Contact]:
    return eligible(
        audience_of(member, campaign),
        channel=CHANNEL,
        purpose=campaign.purpose,
        consent_purpose=campaign.consent_purpose,
    )
