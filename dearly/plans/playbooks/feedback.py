"""Feedback request: a few days after a purchase, ask how it went in one question; when they
reply, someone at the branch follows up in person."""

from dearly.plans.playbooks.spec import Email, JourneySpec, PlanSpec, Playbook

PLAYBOOK = Playbook(
    key="feedback",
    name="Feedback request",
    gives="Customers are asked, and heard: one simple question after they buy, and a real "
    "person follows up on every answer.",
    how="Three days after a purchase: one question by email. If they reply within a week, a "
    "follow-up task appears for their branch.",
    plan=PlanSpec(
        name="Hear from customers",
        description="Ask every buyer one question, and act on the answers.",
        metric="survey_answers",
        target=40,
        days=90,
        lifecycle_stage="customer",
    ),
    emails=(
        Email(
            key="ask",
            name="Feedback: one question",
            subject="One quick question about your visit",
            preheader="Just reply with a number from 1 to 5",
            heading="How did we do?",
            paragraphs=(
                "On a scale of 1 to 5, how happy are you with what you bought? Just reply "
                "with a number, and a word about why if you like.",
                "We read every answer ourselves, and we'll get back to you.",
            ),
            gift="<strong>Your say:</strong> tell us what to change; we'll tell you what we did.",
        ),
    ),
    journeys=(
        JourneySpec(
            name="Feedback after purchase",
            definition={
                "trigger": {"type": "event", "name": "purchase"},
                "reentry": {"after_days": 90},
                "goal": None,
                "steps": [
                    {"id": "three-days", "type": "wait", "days": 3},
                    {
                        "id": "ask",
                        "type": "send",
                        "template": "ask",
                        "purpose": "informational",
                        "consent_purpose": "surveys",
                        "value": "invitation",
                    },
                    {"id": "a-week", "type": "wait", "days": 7},
                    {
                        "id": "replied",
                        "type": "branch",
                        "condition": {"kind": "replied"},
                        "then": "follow-up",
                        "else": "exit",
                    },
                    {
                        "id": "follow-up",
                        "type": "task",
                        "kind": "follow_up",
                        "title": "Thank them for their feedback and say what we'll do",
                        "due_days": 2,
                    },
                ],
            },
        ),
    ),
)
