"""The catcher keeps what our SMTP client sends; the Mailbox page shows it, safely."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.urls import reverse

from dearly.conftest import client_for
from dearly.delivery.transports.config import SmtpSettings
from dearly.delivery.transports.message import Outcome, OutgoingEmail
from dearly.delivery.transports.smtp import SmtpConnection
from dearly.delivery.transports.testing import free_port
from dearly.mailbox import catcher
from dearly.mailbox.models import CaughtMail
from dearly.mailbox.services import catch_mail

HOSTILE_HTML = (
    '<p id="marker">Hello Ada</p><script>document.title="ran"</script>'
    '<img src="x" onerror="document.title=\'ran\'"><a href="https://example.com">Menu</a>'
)


def outgoing(name: str, addr: str, n: int) -> OutgoingEmail:
    return OutgoingEmail(
        message_id=f"<c{n}@shop.example>",
        from_addr="hello@shop.example",
        from_name="Café Bleu",
        to_addr=addr,
        to_name=name,
        subject=f"A table for you, {name}",
        text=f"Dear {name},\nyour table is ready.\n",
        html=f"<p>Dear {name},</p><p>your table is ready.</p>",
    )


@pytest.fixture
def running_catcher(settings: Any) -> Iterator[int]:
    port = free_port()
    controller = catcher.start("127.0.0.1", port)
    settings.MAIL_CATCHER = True
    yield port
    controller.stop()


@pytest.mark.django_db(transaction=True)
def test_mail_sent_to_the_catcher_shows_on_the_page_personalised(
    running_catcher: int, owner: User
) -> None:
    client = SmtpConnection(SmtpSettings(host="127.0.0.1", port=running_catcher, timeout=5))
    people = [("Zoë Martin", "zoe@example.com"), ("山田 太郎", "taro@example.jp")]
    receipts = client.send([outgoing(name, addr, n) for n, (name, addr) in enumerate(people)])
    client.close()
    assert [r.outcome for r in receipts] == [Outcome.SENT, Outcome.SENT]
    assert client.pipelining
    mails = {m.rcpt_to: m for m in CaughtMail.objects.all()}
    assert receipts[0].provider_id == mails["zoe@example.com"].public_id.hex

    page = client_for(owner).get(reverse("mailbox:list"))
    assert page.status_code == 200
    assert "A table for you, Zoë Martin" in page.content.decode()
    assert "A table for you, 山田 太郎" in page.content.decode()

    zoe = mails["zoe@example.com"]
    assert zoe.subject == "A table for you, Zoë Martin"
    assert zoe.message_id == "<c0@shop.example>"
    shown = client_for(owner).get(reverse("mailbox:message", args=[zoe.public_id])).content.decode()
    assert "Dear Zoë Martin,\nyour table is ready." in shown
    assert "Café Bleu" in shown


@pytest.mark.django_db
@override_settings(MAIL_CATCHER=True)
def test_the_html_part_is_shown_in_a_sandbox_that_cannot_run_scripts(owner: User) -> None:
    raw = (
        b"From: a@shop.example\r\nTo: b@example.com\r\nSubject: Hi\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: text/html; charset="utf-8"\r\n\r\n' + HOSTILE_HTML.encode() + b"\r\n"
    )
    mail = catch_mail(mail_from="a@shop.example", rcpt_tos=["b@example.com"], raw=raw)
    response = client_for(owner).get(reverse("mailbox:message", args=[mail.public_id]))
    html = response.content.decode()
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in html
    assert "allow-scripts" not in html and "allow-same-origin" not in html
    assert "<script>document.title" not in html  # only ever escaped, inside srcdoc
    assert "&lt;script&gt;document.title" in html
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "object-src 'none'" in csp
    raw_response = client_for(owner).get(reverse("mailbox:raw", args=[mail.public_id]))
    assert raw_response["Content-Type"] == "text/plain; charset=utf-8"
    assert raw_response.content == raw


@pytest.mark.django_db
@override_settings(MAIL_CATCHER=True)
def test_the_list_is_newest_first_searchable_and_paged(owner: User) -> None:
    for n in range(55):
        catch_mail(
            mail_from="a@shop.example",
            rcpt_tos=[f"guest{n}@example.com"],
            raw=f"Subject: Offer {n}\r\n\r\nHi\r\n".encode(),
        )
    client = client_for(owner)
    first = client.get(reverse("mailbox:list")).content.decode()
    assert first.index("Offer 54") < first.index("Offer 53")
    assert "Offer 4<" not in first and "page 1 of 2" in first
    found = client.get(reverse("mailbox:list"), {"q": "guest7@"}, HTTP_HX_REQUEST="true")
    body = found.content.decode()
    assert "Offer 7" in body and "Offer 17" not in body
    assert "<h1>" not in body  # the htmx fragment only


@pytest.mark.django_db
@override_settings(MAIL_CATCHER=False)
def test_the_mailbox_does_not_exist_while_the_catcher_is_off(owner: User) -> None:
    assert client_for(owner).get(reverse("mailbox:list")).status_code == 404


@pytest.mark.django_db
@override_settings(MAIL_CATCHER=True)
def test_branch_staff_and_outsiders_cannot_open_the_mailbox(
    north_staff: User, outsider: User, manager: User
) -> None:
    assert client_for(north_staff).get(reverse("mailbox:list")).status_code == 403
    assert client_for(outsider).get(reverse("mailbox:list")).status_code == 403
    assert client_for(manager).get(reverse("mailbox:list")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_demo_switch_sends_this_process_mail_to_the_catcher(settings: Any) -> None:
    from dearly.delivery.transports import get_transport

    settings.MAIL_CATCHER = False
    settings.EMAIL_URL = "smtp://mail.example:587"
    port = free_port()
    controller = catcher.start_for_demo(port)
    try:
        transport = get_transport()
        receipts = transport.send_batch([outgoing("Ada", "ada@example.com", 1)])
        transport.close()
    finally:
        controller.stop()
    assert receipts[0].outcome == Outcome.SENT
    assert CaughtMail.objects.get().rcpt_to == "ada@example.com"
