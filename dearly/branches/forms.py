"""The branch form: typed fields plus one opening-hours box per weekday."""

from typing import Any

from django import forms

from dearly.branches.hours import DAYS, Hours, HoursError, parse_day, periods_text
from dearly.branches.models import Branch
from dearly.core.normalize import all_time_zones
from dearly.core.textforms import TextCheckedForm


def _zones() -> list[tuple[str, str]]:
    return [(z, z) for z in sorted(all_time_zones())]


class BranchForm(TextCheckedForm):
    name = forms.CharField(max_length=120)
    address = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    town = forms.CharField(max_length=120, required=False)
    postcode = forms.CharField(max_length=20, required=False)
    country = forms.CharField(max_length=2, initial="GB", help_text="Two-letter code, e.g. GB.")
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180)
    time_zone = forms.ChoiceField(choices=_zones, initial="Europe/London")
    phone = forms.CharField(max_length=30, required=False)
    email = forms.EmailField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day, label in DAYS:
            self.fields[f"hours_{day}"] = forms.CharField(
                label=label,
                required=False,
                widget=forms.TextInput(attrs={"placeholder": "Closed"}),
            )

    def hours_fields(self) -> list[forms.BoundField]:
        return [self[f"hours_{day}"] for day, _ in DAYS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hours: Hours = {}
        for day, _ in DAYS:
            try:
                hours[day] = parse_day(day, data.get(f"hours_{day}") or "")
            except HoursError as exc:
                self.add_error(f"hours_{day}", str(exc))
        data["opening_hours"] = hours
        return data


def initial_for(branch: Branch) -> dict[str, Any]:
    initial = {name: getattr(branch, name) for name in BranchForm.base_fields}
    for day, _ in DAYS:
        initial[f"hours_{day}"] = periods_text(branch.opening_hours.get(day) or [])
    return initial
