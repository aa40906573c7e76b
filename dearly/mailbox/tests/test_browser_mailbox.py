"""In Chromium: a caught message's HTML shows in the Mailbox, and its scripts never run."""

from typing import Any

import pytest
from django.contrib.auth.models import User

from dearly.conftest import browser_login
from dearly.mailbox.services import catch_mail

BODY = (
    '<p id="marker">Hello Ada, your table is ready</p>'
    "<script>document.getElementById('marker').textContent='script ran';"
    "parent.document.title='script ran'</script>"
    "<img src=\"data:,\" onerror=\"document.getElementById('marker').textContent='script ran'\">"
    "<img src=\"x\" onerror=\"document.getElementById('marker').textContent='script ran'\">"
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_script_in_a_caught_message_does_not_run(page: Any, owner: User, settings: Any) -> None:
    settings.MAIL_CATCHER = True
    raw = (
        "From: hello@shop.example\r\nTo: Ada <ada@example.com>\r\nSubject: Your table\r\n"
        'MIME-Version: 1.0\r\nContent-Type: text/html; charset="utf-8"\r\n\r\n' + BODY + "\r\n"
    ).encode()
    catch_mail(mail_from="hello@shop.example", rcpt_tos=["ada@example.com"], raw=raw)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    browser_login(page, owner)
    page.goto("/mailbox/")
    page.get_by_role("link", name="Your table").click()
    frame = page.frame_locator("iframe.mail-html")
    marker = frame.locator("#marker")
    marker.wait_for()
    assert marker.text_content() == "Hello Ada, your table is ready"
    page.wait_for_timeout(300)  # give a script every chance to run (it must not)
    assert marker.text_content() == "Hello Ada, your table is ready"
    assert "script ran" not in page.title()
    assert page.locator("iframe.mail-html").get_attribute("sandbox") == (
        "allow-popups allow-popups-to-escape-sandbox"
    )
