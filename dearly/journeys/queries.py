"""Reads of journeys for the pages and the API. Journeys belong to the business, like
campaigns: the capability is checked here, so no view can forget it."""

from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from dearly.contacts.models import Contact
from dearly.core.access import Can, require
from dearly.core.models import Membership
from dearly.journeys.labels import step_label, template_names
from dearly.journeys.models import Enrollment, EnrollmentStatus, Journey, StepRun


def journeys_for_member(member: Membership) -> QuerySet[Journey]:
    """Every journey but the archived ones, with its counts: in_progress, finished (done),
    left (exited) and entered (all), in one query."""
    require(member, Can.SEND_CAMPAIGNS)
    return with_counts(Journey.objects.exclude(status="archived"))


def with_counts(journeys: QuerySet[Journey]) -> QuerySet[Journey]:
    return journeys.select_related("version").annotate(
        in_progress=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ACTIVE)),
        finished=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.DONE)),
        left=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.EXITED)),
        entered=Count("enrollments"),
    )


def get_journey_for_member(member: Membership, public_id: UUID | str) -> Journey:
    require(member, Can.SEND_CAMPAIGNS)
    try:
        return Journey.objects.select_related("version").get(public_id=public_id)
    except (Journey.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such journey") from None


def step_counts(journey: Journey) -> list[tuple[str, str, int]]:
    """(step id, label, contacts at that step now) in the current version's order; steps only
    earlier versions have, where contacts still wait, follow with "(earlier version)"."""
    rows = (
        Enrollment.objects.filter(journey=journey, status=EnrollmentStatus.ACTIVE)
        .values_list("step_id")
        .annotate(n=Count("id"))
    )
    counts = dict(rows)
    definition = journey.version.definition if journey.version else {"steps": []}
    names = template_names([definition])
    out = [(s["id"], step_label(s, names), counts.pop(s["id"], 0)) for s in definition["steps"]]
    out += [(sid, f"{sid} (earlier version)", n) for sid, n in sorted(counts.items())]
    return out


@dataclass(frozen=True, slots=True)
class Walk:
    enrollment: Enrollment
    runs: list[StepRun]


def enrollments_for_contact(contact: Contact, *, with_runs: bool = False) -> list[Walk]:
    """The contact's journeys, newest first, with the steps taken when asked (two queries)."""
    enrollments = list(
        Enrollment.objects.filter(contact=contact)
        .select_related("journey", "version")
        .order_by("-entered_at", "-id")
    )
    runs: dict[int, list[StepRun]] = {e.pk: [] for e in enrollments}
    if with_runs and enrollments:
        for run in StepRun.objects.filter(enrollment_id__in=list(runs)).order_by("seq"):
            runs[run.enrollment_id].append(run)
    return [Walk(e, runs[e.pk]) for e in enrollments]
