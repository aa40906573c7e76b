"""Former-customer win-back: when someone becomes a former customer, tell them what changed
since they left, invite them to a free lesson, and ask who they know who'd like it; then keep
a gentle monthly touch for six months and quarterly after that."""

from dearly.plans.playbooks.spec import Email, JourneySpec, PlanSpec, Playbook, RhythmSpec


def _send(step_id: str, value: str, purpose: str = "informational") -> dict[str, str]:
    return {
        "id": step_id,
        "type": "send",
        "template": step_id,
        "purpose": purpose,
        "consent_purpose": "marketing",
        "value": value,
    }


PLAYBOOK = Playbook(
    key="win-back",
    name="Former-customer win-back",
    gives="Former customers hear what got better, get a free lesson or webinar, and a "
    "friendly reason to come back, instead of silence or a discount blast.",
    how="When a customer becomes former: what we changed since you left; two weeks later a free "
    "lesson or webinar invitation; two weeks after that a referral request. It stops when "
    "they buy. Then a useful touch every month for six months, and every quarter after.",
    plan=PlanSpec(
        name="Win back former customers",
        description="Win back one in twenty former customers this half-year.",
        metric="won_back",
        target=5,
        unit="percent",
        days=182,
        lifecycle_stage="former",
    ),
    emails=(
        Email(
            key="what-changed",
            name="Win-back: what we changed",
            subject="What's changed at {{ business.name }}",
            preheader="We listened, and here's what's different",
            heading="A lot has changed since we last saw you.",
            paragraphs=(
                "Write here the two or three things that are better now: new products, "
                "longer hours, a change customers asked for.",
            ),
            gift="<strong>Good to know:</strong> say here the one change they'd care most about.",
        ),
        Email(
            key="free-lesson",
            name="Win-back: a free lesson",
            subject="You're invited: a free lesson",
            preheader="No catch: come and learn something with us",
            heading="Come to a free lesson, on us.",
            paragraphs=(
                "We run a short free session (in store or online). Write here what it "
                "teaches, when it is and how to book.",
            ),
            gift="<strong>Your invitation:</strong> reply to this email to save your place.",
        ),
        Email(
            key="referral",
            name="Win-back: know someone?",
            subject="Know someone who'd like us?",
            preheader="A thank-you for both of you",
            heading="Could you help us with something?",
            paragraphs=(
                "Most of our customers found us through a friend. If you know someone who'd "
                "like what we do, forward them this email.",
            ),
            gift="<strong>A thank-you:</strong> say here what you give both of you when "
            "a friend comes in.",
        ),
    ),
    journeys=(
        JourneySpec(
            name="Win back former customers",
            definition={
                "trigger": {"type": "lifecycle", "to": "former"},
                "reentry": "after_exit",
                "goal": {"event": "purchase"},
                "steps": [
                    _send("what-changed", "useful_information"),
                    {"id": "two-weeks", "type": "wait", "days": 14},
                    _send("free-lesson", "invitation"),
                    {"id": "two-more-weeks", "type": "wait", "days": 14},
                    _send("referral", "offer", "promotional"),
                ],
            },
        ),
    ),
    rhythm=RhythmSpec(
        name="Former customers: monthly for 6 months, then quarterly",
        lifecycle_stage="former",
        phases=[{"until_days": 180, "every_days": 30}, {"every_days": 90}],
        templates=("what-changed", "free-lesson"),
        value="useful_information",
    ),
)
