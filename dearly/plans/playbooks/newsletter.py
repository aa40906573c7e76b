"""The twice-monthly value newsletter: on the first and third Thursday, one useful thing and
nothing else; and a rhythm so no customer goes more than two weeks without a useful touch."""

from dearly.plans.playbooks.spec import Email, PlanSpec, Playbook, RhythmSpec, SeriesSpec

PLAYBOOK = Playbook(
    key="newsletter",
    name="Twice-monthly value newsletter",
    gives="A newsletter people look forward to: every issue gives one useful thing (a tip, a "
    "how-to, something new), so opening it is never a waste of time.",
    how="A recurring newsletter on the first and third Thursday at 09:00, to everyone who "
    "agreed to your newsletter; and customers not touched for 14 days get a useful note.",
    plan=PlanSpec(
        name="Stay useful to customers",
        description="Keep every customer in touch with something useful at least every two weeks.",
        metric="contacts_touched",
        target=200,
        days=90,
        lifecycle_stage="customer",
    ),
    emails=(
        Email(
            key="issue",
            name="Newsletter issue",
            subject="One useful thing from {{ business.name }}",
            preheader="This fortnight's tip, and what's new",
            heading="This fortnight's one useful thing.",
            paragraphs=(
                "Write here this issue's tip, how-to or story. Keep it to one idea.",
                "Then one line of news: something new in store, or an event coming up.",
            ),
            gift="<strong>Worth keeping:</strong> say here what the reader can use today.",
        ),
        Email(
            key="check-in",
            name="Customer check-in: a useful note",
            subject="A quick, useful note from {{ business.name }}",
            preheader="Something we thought you'd find useful",
            heading="We thought of you.",
            paragraphs=(
                "Write here a short, useful note for customers: a reminder, a seasonal tip or "
                "an answer to a question customers often ask.",
            ),
            gift="<strong>For you:</strong> a tip or resource they can use straight away.",
        ),
    ),
    series=SeriesSpec(
        name="Value newsletter",
        template="issue",
        rule={"weekdays": [3], "nths": [1, 3], "time": "09:00"},
    ),
    rhythm=RhythmSpec(
        name="Customers: a useful touch every 14 days",
        lifecycle_stage="customer",
        phases=[{"every_days": 14}],
        templates=("check-in",),
    ),
)
