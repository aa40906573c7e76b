"""Birthday and anniversary: a gift on someone's birthday and a thank-you on the anniversary
of when they became a customer, each at nine in the morning in their own time zone."""

from dearly.plans.playbooks.spec import Email, JourneySpec, PlanSpec, Playbook

PLAYBOOK = Playbook(
    key="birthday",
    name="Birthday and anniversary offer",
    gives="People feel remembered: a birthday treat on their day, and on their anniversary with "
    "you a thank-you and an invitation, not another sale.",
    how="Every day at 09:00 in each person's time zone: a birthday email to those with a "
    "birthday today, and an anniversary email to those whose anniversary it is.",
    plan=PlanSpec(
        name="Birthdays and anniversaries",
        description="Remember the days that matter to customers; bring them back to celebrate.",
        metric="purchases",
        target=30,
        days=365,
        lifecycle_stage="customer",
    ),
    emails=(
        Email(
            key="birthday",
            name="Birthday: a treat for you",
            subject="Happy birthday from all of us",
            preheader="A small birthday treat, on us",
            heading="Happy birthday!",
            paragraphs=(
                "We hope you have a lovely day. To celebrate, we'd like to give you something.",
            ),
            gift="<strong>Your birthday treat:</strong> say here what it is and how to claim "
            "it (for example, show this email in store this month).",
        ),
        Email(
            key="anniversary",
            name="Anniversary: thank you",
            subject="A year together: thank you",
            preheader="Thank you, and an invitation",
            heading="It's our anniversary with you.",
            paragraphs=("Thank you for choosing us. Customers like you are why we do this.",),
            gift="<strong>An invitation:</strong> come in for a coffee on us, and tell us "
            "what we could do better.",
        ),
    ),
    journeys=(
        JourneySpec(
            name="Birthday treat",
            definition={
                "trigger": {"type": "date", "field": "birthday", "days_before": 0, "at": "09:00"},
                "reentry": {"after_days": 300},
                "goal": None,
                "steps": [
                    {
                        "id": "birthday",
                        "type": "send",
                        "template": "birthday",
                        "purpose": "promotional",
                        "consent_purpose": "marketing",
                        "value": "offer",
                    }
                ],
            },
        ),
        JourneySpec(
            name="Anniversary thank-you",
            definition={
                "trigger": {
                    "type": "date",
                    "field": "anniversary",
                    "days_before": 0,
                    "at": "09:00",
                },
                "reentry": {"after_days": 300},
                "goal": None,
                "steps": [
                    {
                        "id": "anniversary",
                        "type": "send",
                        "template": "anniversary",
                        "purpose": "informational",
                        "consent_purpose": "marketing",
                        "value": "invitation",
                    }
                ],
            },
        ),
    ),
)
