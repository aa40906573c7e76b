"""Which outbox rows and touches belong to a plan: those whose origin is one of its campaigns
(a series' issues are campaigns too), journeys or its rhythm."""

from dataclasses import dataclass

from django.db.models import Q

from dearly.campaigns.launch import ORIGIN as CAMPAIGN
from dearly.campaigns.models import Campaign
from dearly.plans.models import Plan

JOURNEY = "journey"
RHYTHM = "rhythm"


@dataclass(frozen=True, slots=True)
class Origins:
    campaign_ids: tuple[int, ...] = ()
    journey_ids: tuple[int, ...] = ()
    rhythm_ids: tuple[int, ...] = ()

    def q(self) -> Q:
        """Matches rows (outbox messages, touches, events) sent on the plan's behalf."""
        q = Q(pk__in=[])
        for origin_type, ids in self.by_type():
            if ids:
                q |= Q(origin_type=origin_type, origin_id__in=ids)
        return q

    def by_type(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        return (
            (CAMPAIGN, self.campaign_ids),
            (JOURNEY, self.journey_ids),
            (RHYTHM, self.rhythm_ids),
        )


def series_campaign_ids(series_ids: list[int]) -> dict[int, list[int]]:
    """{series id: [campaign id of each issue]}."""
    found: dict[int, list[int]] = {s: [] for s in series_ids}
    rows = Campaign.objects.filter(issue__series_id__in=series_ids).values_list(
        "issue__series_id", "pk"
    )
    for series_id, campaign_id in rows:
        found[series_id].append(campaign_id)
    return found


def origins_of(plan: Plan) -> Origins:
    """Read through .all() so a list that prefetched the links asks nothing more."""
    campaigns = {c.pk for c in plan.campaigns.all()}
    series_ids = [s.pk for s in plan.series.all()]
    if series_ids:
        for ids in series_campaign_ids(series_ids).values():
            campaigns.update(ids)
    return Origins(
        campaign_ids=tuple(sorted(campaigns)),
        journey_ids=tuple(sorted(j.pk for j in plan.journeys.all())),
        rhythm_ids=(plan.rhythm_id,) if plan.rhythm_id else (),
    )
