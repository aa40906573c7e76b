"""The webhook form: it shapes input; hooks.services decides what is allowed."""

from typing import Any

from django import forms

from dearly.core.textforms import TextCheckedForm
from dearly.hooks.events import CHOOSABLE
from dearly.hooks.models import Subscription
from dearly.hooks.services import Details


class SubscriptionForm(TextCheckedForm):
    name = forms.CharField(max_length=100, help_text="The system it feeds, such as “Shop”.")
    url = forms.CharField(
        label="Address (URL)",
        max_length=2000,
        help_text="Where Dearly sends each event as a signed POST, e.g. https://shop.example/hooks",
    )
    events = forms.MultipleChoiceField(
        label="Events to send",
        choices=[(e.value, e.label) for e in CHOOSABLE],
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(
        label="On", required=False, initial=True, help_text="When off, events wait and are kept."
    )
    allow_private_network = forms.BooleanField(
        label="Allow private network addresses",
        required=False,
        help_text=(
            "Only for a system on this machine or your own network. Leave off for anything on "
            "the internet: it stops a webhook being pointed at your internal systems."
        ),
    )

    @classmethod
    def for_subscription(cls, sub: Subscription, data: Any = None) -> "SubscriptionForm":
        initial = {
            "name": sub.name,
            "url": sub.url,
            "events": sub.events,
            "is_active": sub.is_active,
            "allow_private_network": sub.allow_private_network,
        }
        return cls(data, initial=initial)

    def details(self) -> Details:
        data = self.cleaned_data
        return Details(
            name=data["name"],
            url=data["url"],
            events=list(data["events"]),
            allow_private_network=data["allow_private_network"],
            is_active=data["is_active"],
        )
