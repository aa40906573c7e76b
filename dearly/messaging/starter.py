"""The template a new user starts from: personal, says why it is worth opening, and carries
the unsubscribe and preference links and the business's postal address."""

from dearly.messaging.models import MissingDataPolicy
from dearly.messaging.services import Draft

NAME = "Monthly note"
SUBJECT = "One useful thing for you from {{ business.name }}"
PREHEADER = "A short note from {{ branch.name | default(business.name) }}: what we've got for you"
# The look every Dearly starter email shares (this one and the playbooks' emails), and its
# footer: a sign-off, the preference and unsubscribe links and the postal address.
HEAD = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<style>
  body { margin: 0; padding: 0; background: #f6f4ef; color: #2b2b2b; }
  .wrap { max-width: 560px; margin: 0 auto; padding: 24px; background: #ffffff;
          font-family: Georgia, 'Times New Roman', serif; }
  h1 { font-size: 22px; margin: 0 0 16px; }
  p { font-size: 16px; line-height: 1.5; margin: 0 0 16px; }
  .gift { border-left: 4px solid #1d6b40; padding-left: 12px; }
  .footer { font-size: 12px; line-height: 1.5; color: #6b6b6b; }
</style>
</head>
<body>
<div class="wrap">
"""
FOOT = """  <p>Warm wishes,<br>{{ business.name }}</p>
  <hr>
  <p class="footer">You're getting this because you signed up with {{ business.name }}.
  <a href="{{ links.preferences_url }}">Choose what you hear about</a> or
  <a href="{{ links.unsubscribe_url }}">unsubscribe</a> at any time.<br>
  {{ business.postal_address }}</p>
</div>
</body>
</html>
"""
HTML = (
    HEAD
    + """  <h1>Hi {{ contact.name }},</h1>
  <p>You asked to hear from us, so once a month we send one thing worth your time,
  and nothing else.</p>
  <p class="gift"><strong>This month:</strong> say here what you are giving: an offer, a tip,
  an invitation, something new in store.</p>
  {% if branch.name %}<p>We'd love to see you at {{ branch.name }}{% if branch.phone %},
  or call us on {{ branch.phone }}{% endif %}.</p>{% endif %}
  <p>Just reply to this email if you have a question: it comes straight to us.</p>
"""
    + FOOT
)
FALLBACKS = {"contact.name": "there"}


def starter_draft() -> Draft:
    return Draft(
        subject=SUBJECT,
        preheader=PREHEADER,
        html_source=HTML,
        fallbacks=dict(FALLBACKS),
        missing_data_policy=MissingDataPolicy.FALLBACK,
    )
