"""Webhooks sit above the apps they report on: none of those may import them (they tell
webhooks through signals and the rows they write)."""

from pathlib import Path

import pytest

DEARLY = Path(__file__).resolve().parents[2]
BELOW = [
    "core",
    "contacts",
    "messaging",
    "audiences",
    "preferences",
    "tracking",
    "touches",
    "branches",
    "delivery",
    "campaigns",
    "journeys",
    "rhythms",
    "plans",
    "conversions",
    "imports",
]


@pytest.mark.parametrize("app", BELOW)
def test_lower_apps_never_import_webhooks(app):
    offenders = [
        str(path.relative_to(DEARLY))
        for path in sorted((DEARLY / app).rglob("*.py"))
        if "tests" not in path.parts and "dearly.hooks" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
