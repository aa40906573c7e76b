"""The plan form: it only reads input; the rules live in plans.services.clean."""

from typing import Any

from django import forms

from dearly.audiences.models import Segment
from dearly.audiences.queries import segments_for_member
from dearly.campaigns.models import Campaign, Series
from dearly.campaigns.queries import campaigns_for_member
from dearly.contacts.models import Channel, Lifecycle
from dearly.core.models import Membership
from dearly.core.textforms import TextCheckedForm
from dearly.journeys.models import Journey
from dearly.plans.models import Metric, Plan, Unit
from dearly.plans.services import Details, PlanError
from dearly.rhythms.models import Rhythm

METRIC_HELP: dict[str, str] = {
    Metric.PURCHASES: "every purchase reported in the period",
    Metric.REPEAT_PURCHASES: "purchases by people who had bought before",
    Metric.REVENUE: "the value of those purchases",
    Metric.WON_BACK: "former customers who became customers again",
    Metric.SURVEY_ANSWERS: "survey answers logged or reported",
    Metric.CONTACTS_TOUCHED: "different people who had a real touch",
}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CHECKS = forms.CheckboxSelectMultiple


class PlanForm(TextCheckedForm):
    name = forms.CharField(max_length=120)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    lifecycle_stage = forms.ChoiceField(
        choices=[("", "Any stage"), *Lifecycle.choices], required=False, label="Lifecycle stage"
    )
    segment: "forms.ModelChoiceField[Segment]" = forms.ModelChoiceField(
        queryset=Segment.objects.none(), required=False, empty_label="No segment"
    )
    channels = forms.MultipleChoiceField(choices=Channel.choices, widget=CHECKS, initial=["email"])
    metric = forms.ChoiceField(
        choices=[(v, f"{label} — {METRIC_HELP[v]}") for v, label in Metric.choices],
        widget=forms.RadioSelect,
        label="The objective counts",
    )
    target = forms.DecimalField(min_value=0, max_digits=12, decimal_places=2)
    unit = forms.ChoiceField(choices=Unit.choices, initial=Unit.COUNT, label="The target is")
    period_start = forms.DateField(widget=DATE, label="From")
    period_end = forms.DateField(widget=DATE, label="To (inclusive)")
    rhythm: "forms.ModelChoiceField[Rhythm]" = forms.ModelChoiceField(
        queryset=Rhythm.objects.none(), required=False, empty_label="No rhythm"
    )
    journeys: "forms.ModelMultipleChoiceField[Journey]" = forms.ModelMultipleChoiceField(
        queryset=Journey.objects.none(), required=False, widget=CHECKS
    )
    campaigns: "forms.ModelMultipleChoiceField[Campaign]" = forms.ModelMultipleChoiceField(
        queryset=Campaign.objects.none(), required=False, widget=CHECKS
    )
    series: "forms.ModelMultipleChoiceField[Series]" = forms.ModelMultipleChoiceField(
        queryset=Series.objects.none(), required=False, widget=CHECKS, label="Recurring series"
    )

    def __init__(self, *args: Any, member: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set("segment", segments_for_member(member))
        self._set("rhythm", Rhythm.objects.order_by("name"))
        self._set("journeys", Journey.objects.exclude(status="archived").order_by("name"))
        self._set("campaigns", campaigns_for_member(member).order_by("-created_at"))
        self._set("series", Series.objects.order_by("name"))

    def _set(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset

    def details(self) -> Details:
        data = self.cleaned_data
        return Details(
            name=data["name"],
            description=data["description"],
            lifecycle_stage=data["lifecycle_stage"],
            segment=data["segment"],
            channels=data["channels"],
            metric=data["metric"],
            target=data["target"],
            unit=data["unit"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            rhythm=data["rhythm"],
            journeys=list(data["journeys"]),
            campaigns=list(data["campaigns"]),
            series=list(data["series"]),
        )

    def add_service_errors(self, error: PlanError) -> None:
        for name, message in error.errors.items():
            self.add_error(name if name in self.fields else None, message)


def initial_for(plan: Plan) -> dict[str, Any]:
    return {
        "name": plan.name,
        "description": plan.description,
        "lifecycle_stage": plan.lifecycle_stage,
        "segment": plan.segment,
        "channels": plan.channels,
        "metric": plan.metric,
        "target": plan.target,
        "unit": plan.unit,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "rhythm": plan.rhythm,
        "journeys": list(plan.journeys.all()),
        "campaigns": list(plan.campaigns.all()),
        "series": list(plan.series.all()),
    }
