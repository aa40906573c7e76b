"""Welcome and education: a warm hello the moment someone signs up, then two short lessons a
few days apart, each on a weekend morning when people read at leisure."""

from dearly.plans.playbooks.spec import Email, JourneySpec, PlanSpec, Playbook

WEEKEND_MORNING = {"type": "wait_until", "weekdays": [5, 6], "start": "09:00", "end": "11:00"}


def _send(step_id: str, email: str, value: str) -> dict[str, str]:
    return {
        "id": step_id,
        "type": "send",
        "template": email,
        "purpose": "informational",
        "consent_purpose": "newsletter",
        "value": value,
    }


PLAYBOOK = Playbook(
    key="welcome",
    name="Welcome and education series",
    gives="New subscribers get a warm welcome and two short, genuinely useful lessons, so the "
    "first thing they learn from you is that your emails are worth opening.",
    how="When someone confirms they want your newsletter: a welcome at once, then a lesson on "
    "the next weekend morning after three days, and another a week later.",
    plan=PlanSpec(
        name="Welcome new subscribers",
        description="Turn sign-ups into first purchases by being useful before selling.",
        metric="purchases",
        target=20,
        days=90,
        lifecycle_stage="lead",
    ),
    emails=(
        Email(
            key="welcome",
            name="Welcome: hello from us",
            subject="Welcome to {{ business.name }}",
            preheader="What to expect from us, and a first useful tip",
            heading="Thank you for signing up.",
            paragraphs=(
                "We're a small business and we write to you ourselves. Expect one or two "
                "emails a month, each with something worth your time.",
                "Over the next couple of weeks we'll send two short guides that our regulars "
                "tell us they wish they'd had sooner.",
            ),
            gift="<strong>Your first tip:</strong> say here the one thing every new customer "
            "should know about what you do.",
        ),
        Email(
            key="lesson-1",
            name="Welcome: first lesson",
            subject="A five-minute guide from {{ business.name }}",
            preheader="The first of two short guides",
            heading="Here's the guide we promised.",
            paragraphs=(
                "Write here a short lesson: how to choose, use or look after what you sell. "
                "Three or four practical points are plenty.",
            ),
            gift="<strong>Keep this:</strong> a checklist or a how-to they can save.",
        ),
        Email(
            key="lesson-2",
            name="Welcome: second lesson",
            subject="One more thing worth knowing",
            preheader="The second short guide, and how to ask us anything",
            heading="The second of our two guides.",
            paragraphs=(
                "Write here the mistake people most often make, and how to avoid it.",
                "If you have a question, just reply: it comes straight to us.",
            ),
            gift="<strong>Free to use:</strong> a resource, template or recipe they can use "
            "straight away.",
        ),
    ),
    journeys=(
        JourneySpec(
            name="Welcome and education",
            definition={
                "trigger": {"type": "consent_granted", "purpose": "newsletter"},
                "reentry": "never",
                "goal": None,
                "steps": [
                    _send("welcome", "welcome", "useful_information"),
                    {"id": "wait-1", "type": "wait", "days": 3},
                    {"id": "weekend-1", **WEEKEND_MORNING},
                    _send("lesson-1", "lesson-1", "useful_information"),
                    {"id": "wait-2", "type": "wait", "days": 4},
                    {"id": "weekend-2", **WEEKEND_MORNING},
                    _send("lesson-2", "lesson-2", "free_resource"),
                ],
            },
        ),
    ),
)
