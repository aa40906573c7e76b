import os

import pytest
from django.utils import timezone

from dearly.campaigns.tests.helpers import business, person, tagged_segment, template
from dearly.conftest import browser_login
from dearly.delivery.models import OutboxMessage

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def shot(page, name):
    """Screenshots for people reviewing the pages: DEARLY_SHOTS=/tmp/shots."""
    folder = os.environ.get("DEARLY_SHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=f"{folder}/campaigns-{name}.png", full_page=True)


def test_create_review_launch_and_follow_a_campaign(page, owner):
    business()
    for name in ("Ada", "Grace", "Alan"):
        person(f"{name.lower()}@example.com", first_name=name, tags=("regular",))
    person("nameless@example.com", first_name="", tags=("regular",))
    person("no-thanks@example.com", first_name="Bob", tags=("regular",), purpose=None)
    tagged_segment("regular", name="Regulars")
    template(name="Winter menu", preheader="")  # no preheader: a warning, not an error

    browser_login(page, owner)
    page.get_by_role("link", name="Campaigns").click()
    page.get_by_role("button", name="New campaign").click()
    page.get_by_label("Name").fill("Winter menu for regulars")
    page.get_by_label("Segment").select_option(label="Regulars")
    page.get_by_label("Template").select_option(label="Winter menu")
    page.get_by_label("Informational").check()
    page.get_by_label("Send to people who agreed to").select_option("newsletter")
    page.get_by_label("Useful information", exact=True).check()
    page.get_by_label("In each recipient's send window").check()
    shot(page, "form")
    page.get_by_role("button", name="Create and review").click()

    page.get_by_role("heading", name="Winter menu for regulars").wait_for()
    assert page.locator("#recipient-count").inner_text() == "4"
    audience = page.locator("#audience")
    assert audience.get_by_text("1 did not, and get nothing").is_visible()
    assert audience.get_by_text("they get your wording “there” instead").is_visible()
    checks = page.locator("#checks")
    assert checks.get_by_text("Add a preheader").is_visible()
    assert page.locator("#schedule").get_by_text("Fri and Sun 09:00\N{EN DASH}20:00").is_visible()
    shot(page, "review")

    page.get_by_role("button", name="Launch to 4 recipients").click()
    page.get_by_role("status").get_by_text("Launched: 4 messages in the outbox.").wait_for()
    assert page.locator("#stat-queued").inner_text() == "4"
    assert OutboxMessage.objects.filter(origin_type="campaign").count() == 4
    shot(page, "report-queued")

    # The worker sends two; the page, polling, shows them without a reload.
    first_two = OutboxMessage.objects.order_by("id").values_list("id", flat=True)[:2]
    OutboxMessage.objects.filter(pk__in=list(first_two)).update(
        status="sent", sent_at=timezone.now()
    )
    page.locator("#stat-sent").get_by_text("2").wait_for()
    page.get_by_text("Show these numbers as a table").click()
    assert page.locator(".campaign-chart svg rect.bar-sent").count() == 1
    shot(page, "report")

    page.get_by_role("link", name="← Campaigns").click()
    row = page.get_by_role("row", name="Winter menu for regulars")
    assert row.get_by_text("Launched", exact=True).is_visible()  # the status badge
    shot(page, "list")
