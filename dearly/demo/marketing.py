"""The demo's marketing side: a segment, a template that gives something, a draft campaign.

A new user can open the campaign, review it and launch it; the demo's worker sends it to the
built-in mail catcher, and the Mailbox page shows what each customer received.
"""

from dearly.audiences.services import create_segment
from dearly.campaigns.models import Schedule, Value
from dearly.campaigns.services import Details, create_campaign
from dearly.core.actor import Actor
from dearly.delivery.models import MessagePurpose
from dearly.messaging.models import MissingDataPolicy
from dearly.messaging.services import Draft, create_template

SUBJECT = "{{ contact.name }}, your free winter pruning guide"
HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<style>
  .wrap { max-width: 560px; margin: 0 auto; padding: 24px; font-family: Georgia, serif; }
  p { font-size: 16px; line-height: 1.5; }
  .gift { border-left: 4px solid #1d6b40; padding-left: 12px; }
  .footer { font-size: 12px; color: #6b6b6b; }
</style></head>
<body><div class="wrap">
  <p>Hi {{ contact.name }},</p>
  <p>Winter is the best time to prune fruit trees and roses, and the easiest to get wrong.</p>
  <p class="gift"><strong>Free this month:</strong> our eight-page pruning guide, with the
  cuts our gardeners make on every visit.
  <a href="https://greenleaf.example/guides/winter-pruning">Download the guide</a>.</p>
  {% if branch.name %}<p>Questions? Pop into {{ branch.name }}{% if branch.phone %} or call
  {{ branch.phone }}{% endif %}: we're happy to help.</p>{% endif %}
  <p>Warm wishes,<br>{{ business.name }}</p>
  <hr>
  <p class="footer">You're getting this because you asked for our newsletter.
  <a href="{{ links.preferences_url }}">Choose what you hear about</a> or
  <a href="{{ links.unsubscribe_url }}">unsubscribe</a> at any time.<br>
  {{ business.postal_address }}</p>
</div></body></html>
"""


def load(actor: Actor) -> None:
    readers = create_segment(
        actor=actor,
        name="Newsletter readers",
        description="Everyone who asked for the newsletter by email.",
        rules={
            "match": "all",
            "rules": [
                {
                    "field": "consent",
                    "op": "granted",
                    "value": {"channel": "email", "purpose": "newsletter"},
                }
            ],
        },
    )
    version = create_template(
        actor=actor,
        name="Winter pruning guide",
        draft=Draft(
            subject=SUBJECT,
            preheader="Eight pages of cuts our gardeners make, free this month",
            html_source=HTML,
            fallbacks={"contact.name": "there"},
            missing_data_policy=MissingDataPolicy.FALLBACK,
        ),
    )
    create_campaign(
        actor=actor,
        details=Details(
            name="Winter pruning guide",
            template=version.template,
            purpose=MessagePurpose.INFORMATIONAL,
            segment=readers,
            consent_purpose="newsletter",
            value=Value.FREE_RESOURCE,
            schedule=Schedule.NOW,
        ),
    )
