"""The confirmation email a signup sends: a template Dearly writes itself, once.

It lives among the business's templates so the owner can change its wording; the newest
version is used. Its link is {{ links.preferences_url }}confirm/ (see tokens.confirm_url),
built from the links every email's context already carries.
"""

from django.db import transaction

from dearly.core.actor import Actor
from dearly.messaging.models import MissingDataPolicy, TemplateVersion
from dearly.messaging.services import Draft, create_template
from dearly.preferences.models import SystemTemplate

KEY = "signup_confirmation"
NAME = "Signup confirmation (sent by Dearly)"
SUBJECT = "Please confirm you'd like to hear from {{ business.name }}"
HTML = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8">
<style>
  .wrap { max-width: 560px; margin: 0 auto; padding: 24px; font-family: Arial, sans-serif;
          color: #2b2b2b; }
  p { font-size: 16px; line-height: 1.5; }
  .button { display: inline-block; padding: 12px 20px; background: #1d6b40; color: #ffffff;
            text-decoration: none; border-radius: 6px; font-weight: bold; }
  .small { font-size: 12px; color: #6b6b6b; }
</style>
</head>
<body>
<div class="wrap">
  <p>Hi {{ contact.first_name }},</p>
  <p>Thank you for signing up to hear from {{ business.name }}. Please confirm it was you:</p>
  <p><a class="button" href="{{ links.preferences_url }}confirm/">Yes, sign me up</a></p>
  <p>If you didn't ask for this, ignore this email: we won't send you anything else.</p>
  <p class="small">{{ business.name }}<br>{{ business.postal_address }}</p>
</div>
</body>
</html>
"""


def _draft() -> Draft:
    return Draft(
        subject=SUBJECT,
        html_source=HTML,
        fallbacks={"contact.first_name": "there"},
        missing_data_policy=MissingDataPolicy.FALLBACK,
    )


@transaction.atomic
def confirmation_version_id() -> int:
    """The id of the version to send now; the template is created on first use."""
    ref = SystemTemplate.objects.select_for_update().filter(key=KEY).first()
    if ref:
        latest = (
            TemplateVersion.objects.filter(template_id=ref.template_id)
            .order_by("-number")
            .values_list("pk", flat=True)
            .first()
        )
        if latest:
            return latest
    version = create_template(actor=Actor.system("signup"), name=NAME, draft=_draft())
    SystemTemplate.objects.update_or_create(key=KEY, defaults={"template_id": version.template_id})
    return version.pk
