import pytest

from dearly.audiences.models import Segment
from dearly.audiences.tests.helpers import grant
from dearly.conftest import browser_login, make_contact

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def settled(page) -> None:
    """Wait until htmx has no request in flight and has wired up what it swapped in."""
    page.wait_for_function(
        "() => !document.querySelector("
        "'.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def add_condition(page, number: int):
    page.get_by_role("button", name="Add a condition").click()
    settled(page)
    return page.get_by_label(f"Field of condition {number}")


def choose_field(page, number: int, label: str) -> None:
    page.get_by_label(f"Field of condition {number}").select_option(label=label)
    settled(page)


def expect_count(page, number: int) -> None:
    page.locator(f'#segment-count[data-count="{number}"]').wait_for()


def people() -> None:
    for name, stage, consent, tags in [
        ("Ada", "customer", True, ("VIP",)),
        ("Bob", "customer", True, ()),
        ("Cy", "lead", True, ("VIP",)),
        ("Di", "customer", False, ("VIP",)),
    ]:
        contact = make_contact(
            first_name=name, email=f"{name.lower()}@example.com", lifecycle_stage=stage, tags=tags
        )
        if consent:
            grant(contact, "email", "newsletter")


def test_building_a_segment_shows_the_live_count_and_saves_it(page, owner):
    people()
    browser_login(page, owner)
    page.goto("/segments/")
    page.get_by_role("button", name="New segment").click()
    page.get_by_label("Name").fill("Newsletter VIP customers")
    expect_count(page, 4)

    add_condition(page, 1)
    choose_field(page, 1, "Lifecycle stage")
    page.locator("select#c-rules-0-value").select_option("customer")
    expect_count(page, 3)

    # Keyboard only: the button takes Enter and the new condition's field has the focus.
    page.get_by_role("button", name="Add a condition").focus()
    page.keyboard.press("Enter")
    settled(page)
    assert page.evaluate("document.activeElement.id") == "c-rules-1-field"
    choose_field(page, 2, "Consent")
    page.get_by_label("Purpose of condition 2").select_option("newsletter")
    expect_count(page, 2)

    add_condition(page, 3)
    choose_field(page, 3, "Tag")
    page.locator("select#c-rules-2-value").select_option("VIP")
    expect_count(page, 1)
    results = page.locator("#results")
    assert results.get_by_role("link", name="Ada Lovelace").is_visible()

    page.get_by_role("button", name="Save segment").click()
    page.wait_for_url("**/segments/")
    row = page.get_by_role("row", name="Newsletter VIP customers")
    row.locator(".segment-count").get_by_text("1", exact=True).wait_for()
    segment = Segment.objects.get()
    assert [r["field"] for r in segment.rules["rules"]] == ["lifecycle_stage", "consent", "tag"]


def test_a_condition_left_incomplete_is_marked_where_it_is(page, owner):
    browser_login(page, owner)
    page.goto("/segments/new")
    page.get_by_label("Name").fill("Somewhere")
    add_condition(page, 1)
    choose_field(page, 1, "Town")
    page.get_by_role("button", name="Save segment").click()
    page.locator("#c-rules-0-error").get_by_text("Enter a value").wait_for()
    assert page.get_by_label("Value of condition 1").get_attribute("aria-invalid") == "true"
    assert not Segment.objects.exists()


def test_typing_a_value_updates_the_count(page, owner):
    make_contact(first_name="Ada", town="Leeds")
    make_contact(first_name="Bob", town="York")
    browser_login(page, owner)
    page.goto("/segments/new")
    expect_count(page, 2)
    add_condition(page, 1)
    choose_field(page, 1, "Town")
    page.get_by_label("Value of condition 1").press_sequentially("leeds")
    expect_count(page, 1)
