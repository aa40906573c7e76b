"""The series form: the campaign's who, what and why, plus the dates. Rules live in
campaigns.recurring.clean_series."""

import datetime as dt
from typing import Any

from django import forms

from dearly.campaigns.forms import CampaignForm
from dearly.campaigns.models import Schedule, Series
from dearly.campaigns.recurring import SCHEDULES, SeriesDetails
from dearly.campaigns.services import CampaignError
from dearly.core.models import Membership

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]
NTHS = [(1, "First"), (2, "Second"), (3, "Third"), (4, "Fourth"), (5, "Fifth"), (-1, "Last")]


class SeriesForm(CampaignForm):
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple, label="On"
    )
    nths = forms.TypedMultipleChoiceField(
        choices=NTHS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Which of them in the month",
        help_text="None ticked: every week.",
    )
    time = forms.TimeField(
        label="At what time", initial=dt.time(9, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args: Any, member: Membership, **kwargs: Any) -> None:
        super().__init__(*args, member=member, **kwargs)
        del self.fields["send_at"]
        schedule = self.fields["schedule"]
        assert isinstance(schedule, forms.ChoiceField)
        schedule.choices = [(s.value, s.label) for s in SCHEDULES]

    def series_details(self) -> SeriesDetails:
        data = self.cleaned_data
        return SeriesDetails(
            name=data["name"],
            template=data["template"],
            purpose=data["purpose"],
            segment=data["segment"],
            consent_purpose=data["consent_purpose"],
            value=data["value"],
            schedule=data["schedule"],
            rule={
                "weekdays": data["weekdays"],
                "nths": data["nths"],
                "time": f"{data['time']:%H:%M}",
            },
        )

    def add_service_errors(self, error: CampaignError) -> None:
        for name, message in error.errors.items():
            self.add_error(name if name in self.fields else None, message)


def initial_for_series(series: Series) -> dict[str, Any]:
    rule = series.rule or {}
    hours, minutes = (int(p) for p in str(rule.get("time", "09:00")).split(":"))
    return {
        "name": series.name,
        "segment": series.segment,
        "template": series.template,
        "purpose": series.purpose,
        "consent_purpose": series.consent_purpose,
        "value": series.value,
        "schedule": series.schedule or Schedule.WINDOW,
        "weekdays": rule.get("weekdays", []),
        "nths": rule.get("nths", []),
        "time": dt.time(hours, minutes),
    }
