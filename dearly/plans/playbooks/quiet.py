"""Re-engagement of the quiet: when someone is overdue for a touch, send one genuinely useful
email; if they do not open it within a week, their branch gets a task to call them."""

from dearly.plans.playbooks.spec import Email, JourneySpec, PlanSpec, Playbook

PLAYBOOK = Playbook(
    key="quiet",
    name="Re-engagement of the quiet",
    gives="Nobody quietly drifts away: people who have gone quiet get something useful, and "
    "if that doesn't reach them, a real person calls.",
    how="When a rhythm finds someone overdue: a useful email. A week later, if they haven't "
    "opened it, a call task for their branch.",
    plan=PlanSpec(
        name="Re-engage the quiet",
        description="Reach everyone who has gone quiet, by email first and then by phone.",
        metric="contacts_touched",
        target=100,
        days=90,
    ),
    emails=(
        Email(
            key="useful",
            name="Re-engagement: something useful",
            subject="We haven't been in touch: here's something useful",
            preheader="No sales pitch, just something we think you'll use",
            heading="It's been a while, so here's something useful.",
            paragraphs=(
                "Write here the most useful thing you could tell a customer you haven't "
                "seen in a while: a seasonal tip, a change worth knowing, an answer to a "
                "common question.",
                "If you'd rather hear from us less often, or differently, use the link below.",
            ),
            gift="<strong>For you:</strong> a guide, tip or resource they can use today.",
        ),
    ),
    journeys=(
        JourneySpec(
            name="Re-engage the quiet",
            definition={
                "trigger": {"type": "overdue", "rhythm_id": None},
                "reentry": {"after_days": 60},
                "goal": None,
                "steps": [
                    {
                        "id": "useful",
                        "type": "send",
                        "template": "useful",
                        "purpose": "informational",
                        "consent_purpose": "marketing",
                        "value": "useful_information",
                    },
                    {"id": "a-week", "type": "wait", "days": 7},
                    {
                        "id": "opened",
                        "type": "branch",
                        "condition": {"kind": "opened_last"},
                        "then": "exit",
                        "else": "call",
                    },
                    {
                        "id": "call",
                        "type": "task",
                        "kind": "call",
                        "title": "Call to catch up: they have gone quiet",
                        "due_days": 2,
                    },
                ],
            },
        ),
    ),
)
