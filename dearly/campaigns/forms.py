"""The campaign form: it only reads input; the rules live in campaigns.services.clean."""

from typing import Any

from django import forms

from dearly.audiences.models import Segment
from dearly.audiences.queries import segments_for_member
from dearly.campaigns.models import Campaign, Schedule, Value
from dearly.campaigns.services import CampaignError, Details
from dearly.contacts.models import Purpose
from dearly.core.models import Membership
from dearly.core.textforms import TextCheckedForm
from dearly.delivery.models import MessagePurpose
from dearly.messaging.models import EmailTemplate
from dearly.messaging.queries import templates_for_member

PURPOSE_HELP: dict[str, str] = {
    MessagePurpose.SERVICE: "about something they asked for; no consent needed",
    MessagePurpose.INFORMATIONAL: "news and useful information; goes Friday and Sunday",
    MessagePurpose.PROMOTIONAL: "offers and invitations; goes Tuesday to Thursday",
}


class CampaignForm(TextCheckedForm):
    name = forms.CharField(max_length=120)
    segment: "forms.ModelChoiceField[Segment]" = forms.ModelChoiceField(
        queryset=Segment.objects.none(), required=False, empty_label="Everyone who consented"
    )
    template: "forms.ModelChoiceField[EmailTemplate]" = forms.ModelChoiceField(
        queryset=EmailTemplate.objects.none(), empty_label="Choose a template"
    )
    purpose = forms.ChoiceField(
        choices=[(v, f"{label} — {PURPOSE_HELP[v]}") for v, label in MessagePurpose.choices],
        widget=forms.RadioSelect,
        initial=MessagePurpose.INFORMATIONAL,
    )
    consent_purpose = forms.ChoiceField(
        choices=[("", "— (service messages need none)"), *Purpose.choices],
        required=False,
        initial=Purpose.NEWSLETTER,
        label="Send to people who agreed to",
    )
    value = forms.ChoiceField(
        choices=Value.choices,
        widget=forms.RadioSelect,
        required=False,
        label="What this message gives the reader",
    )
    schedule = forms.ChoiceField(
        choices=Schedule.choices, widget=forms.RadioSelect, initial=Schedule.WINDOW, label="When"
    )
    send_at = forms.DateTimeField(
        required=False,
        label="Date and time (for “at a time I choose”)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, member: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        segment_field = self.fields["segment"]
        template_field = self.fields["template"]
        assert isinstance(segment_field, forms.ModelChoiceField)
        assert isinstance(template_field, forms.ModelChoiceField)
        segment_field.queryset = segments_for_member(member)
        templates = templates_for_member(member)
        template_field.queryset = templates.filter(versions__isnull=False).distinct()

    def details(self) -> Details:
        data = self.cleaned_data
        return Details(
            name=data["name"],
            template=data["template"],
            purpose=data["purpose"],
            segment=data["segment"],
            consent_purpose=data["consent_purpose"],
            value=data["value"],
            schedule=data["schedule"],
            send_at=data["send_at"],
        )

    def add_service_errors(self, error: CampaignError) -> None:
        for name, message in error.errors.items():
            self.add_error(name if name in self.fields else None, message)


def initial_for(campaign: Campaign) -> dict[str, Any]:
    return {
        "name": campaign.name,
        "segment": campaign.segment,
        "template": campaign.template,
        "purpose": campaign.purpose,
        "consent_purpose": campaign.consent_purpose,
        "value": campaign.value,
        "schedule": campaign.schedule,
        "send_at": campaign.send_at,
    }
