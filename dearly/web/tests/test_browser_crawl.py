"""Every page in the nav, and every kind of page linked from them, as each role, in Chromium:
each answers 200 (branch staff may meet 403 or 404), logs no console error or CSP violation,
and never scrolls sideways from the narrowest phone (360 px) to a wide laptop (1440 px)."""

import pytest
from django.http import HttpResponse
from django.urls import path

from dearly.branches.models import Branch
from dearly.conftest import browser_login, make_user
from dearly.core.access import ROLE_CAPABILITIES, Can
from dearly.core.models import Role
from dearly.demo import business
from dearly.web.tests.crawl import Crawl
from dearly.web.urls import urlpatterns as web_urls

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (360, 390, 1366, 1440)  # the narrowest phone and widest laptop, and the two most common
# Pages no nav link leads to, or only after a form, with what it takes to see them; the crawl
# follows their links too.
EXTRA = {
    "/manage/team/": Can.MANAGE_TEAM,
    "/manage/branches/": Can.MANAGE_BRANCHES,
    "/plans/playbooks/": Can.SEND_CAMPAIGNS,
    "/campaigns/series/": Can.SEND_CAMPAIGNS,
    "/contacts/new": Can.EDIT_CONTACTS,
}
DEPTH = 2  # nav page -> list entry -> what the entry links to (a journey's builder, say)


@pytest.fixture
def demo_business(request, settings, tmp_path):
    """The demo's business (a few dozen customers, their history, journeys and plans), then the
    personas; branch staff works in one of the demo's branches, so sees its customers."""
    settings.DATA_DIR = tmp_path
    settings.MAIL_CATCHER = True  # so the Mailbox is in the nav too
    business.load(customers=30)
    personas = {role: request.getfixturevalue(role) for role in ("owner", "manager", "marketer")}
    leeds = Branch.objects.get(name="Leeds")
    personas["branch staff"] = make_user("nora", role=Role.STAFF, branch=leeds)
    personas["approver"] = make_user("april", role=Role.APPROVER)
    personas["viewer"] = make_user("vic", role=Role.VIEWER)
    return personas


def test_every_page_answers_without_errors_or_sideways_scrolling_for_every_role(
    browser, live_server, demo_business
):
    report: dict[str, list[str]] = {}
    for role, user in demo_business.items():
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1366, "height": 800}
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        allowed = frozenset({403, 404}) if role == "branch staff" else frozenset()
        crawl = Crawl(page, live_server.url, WIDTHS, allowed_statuses=allowed)
        browser_login(page, user)
        nav = crawl.nav_links()
        assert len(nav) >= 4, f"{role}: the nav has hardly any links: {nav}"
        caps = ROLE_CAPABILITIES[user.membership.role]
        crawl.run([*nav, *(p for p, need in EXTRA.items() if need in caps)], depth=DEPTH)
        report[role] = crawl.problems
        context.close()
        assert len(crawl.visited) > len(nav), f"{role}: no page beyond the nav: {crawl.visited}"
    problems = [f"{role}: {p}" for role, found in report.items() for p in found]
    assert not problems, "\n".join(problems)


def inline_script_page(request):
    return HttpResponse(
        "<!doctype html><html><head><title>Bad</title></head><body>"
        '<p style="color: red">styled inline</p>'
        '<script>document.title = "ran"</script>'
        "<button onclick=\"document.title = 'clicked'\">Go</button>"
        "</body></html>"
    )


urlpatterns = [path("bad/", inline_script_page), *web_urls]


def test_the_crawler_reports_inline_script_and_style_that_the_policy_blocks(
    page, live_server, settings
):
    settings.ROOT_URLCONF = __name__
    crawl = Crawl(page, live_server.url, WIDTHS)
    crawl.visit("/bad/")
    page.get_by_role("button", name="Go").click()
    assert page.title() == "Bad"  # neither the script nor the handler ran
    violations = [p for p in crawl.problems if "CSP violation" in p]
    assert any("script-src" in p for p in violations), crawl.problems
    assert any("style-src" in p for p in violations), crawl.problems
    assert len(violations) >= 3, crawl.problems  # the style, the script and the handler


def test_the_crawler_reports_a_page_that_scrolls_sideways(page, live_server):
    crawl = Crawl(page, live_server.url, WIDTHS)
    crawl.visit("/login/")
    assert crawl.problems == []
    page.evaluate(WIDE_TABLE)
    crawl.check_widths()
    assert sorted(problem.split(" (")[0] for problem in crawl.problems) == sorted(
        f"/login/: scrolls sideways at {width} px" for width in WIDTHS
    )


# A block 2,000 px wide, styled through the DOM (which the policy allows, unlike an attribute).
WIDE_TABLE = """() => {
  const wide = document.createElement('div');
  wide.style.width = '2000px';
  wide.style.height = '1px';
  document.querySelector('main').append(wide);
}"""
