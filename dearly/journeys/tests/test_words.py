"""A journey's definition in the words its pages use."""

from typing import Any

from dearly.journeys.words import reentry_words, step_numbers, step_words, trigger_words

STEPS: list[dict[str, Any]] = [
    {"id": "a", "type": "wait", "days": 2},
    {"id": "b", "type": "wait_until", "weekdays": [3], "start": "09:00", "end": "11:00"},
    {"id": "c", "type": "branch", "condition": {"kind": "opened_last"}, "then": "e"},
    {"id": "d", "type": "send", "template_id": 7, "value": "free_resource"},
    {"id": "e", "type": "task", "kind": "call", "title": "Ring them"},
    {"id": "f", "type": "add_tag", "tag": "vip"},
    {"id": "g", "type": "exit"},
    {"id": "h", "type": "wait", "days": 1, "hours": 6},
    {"id": "i", "type": "branch", "condition": {"kind": "has_tag", "tag": "vip"}, "else": "exit"},
]


def test_each_step_reads_as_a_sentence() -> None:
    numbers = step_numbers({"steps": STEPS})
    said = [step_words(s, numbers=numbers, templates={7: "Welcome"}) for s in STEPS]
    assert said == [
        "Wait 2 days",
        "Wait until Thursday 09:00\u201311:00 (their local time)",
        "If they opened the last message → step 5, otherwise → next",
        "Send “Welcome” (a free resource)",
        "Create a call task: “Ring them”",
        "Add tag vip",
        "Exit",
        "Wait 1 day and 6 hours",
        "If they are tagged vip → next, otherwise → exit",
    ]


def test_triggers_and_reentry_read_as_sentences() -> None:
    assert trigger_words({"type": "lifecycle", "to": "former"}) == (
        "When someone becomes a former customer"
    )
    assert trigger_words({"type": "lifecycle", "to": "customer", "from": "lead"}) == (
        "When someone becomes a customer after being a lead"
    )
    assert trigger_words(
        {"type": "date", "field": "birthday", "days_before": 3, "at": "10:00"}
    ) == ("3 days before their birthday, at 10:00 their local time")
    assert trigger_words({"type": "consent_granted", "purpose": "newsletter"}) == (
        "When someone confirms their consent to newsletter (signs up)"
    )
    assert reentry_words({"after_days": 365}) == "Can enter again 365 days after entering"
