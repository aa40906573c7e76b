import email
from email import policy

import pytest

from dearly.conftest import client_for, make_user
from dearly.core.models import Role
from dearly.delivery.compose import compose
from dearly.delivery.models import OutboxMessage
from dearly.delivery.tests.helpers import ACTOR
from dearly.delivery.transports.base import get_transport
from dearly.delivery.transports.testing import ScriptedHandler, smtp_server
from dearly.delivery.worker import Worker
from dearly.messaging.services import Draft, create_template

pytestmark = pytest.mark.django_db


def a_template():
    draft = Draft(
        subject="Hello {{ contact.first_name | default('there') }}", html_source="<p>Hi</p>"
    )
    return create_template(actor=ACTOR, name="Hello", draft=draft).template


def test_a_test_send_goes_through_the_outbox_and_arrives_marked_as_a_test(settings):
    marketer = make_user("mara", role=Role.MARKETER)
    marketer.email = "Mara@Example.com"
    marketer.save()
    template = a_template()
    response = client_for(marketer).post(f"/templates/{template.public_id}/test")
    assert response.status_code == 302
    row = OutboxMessage.objects.get(origin_type="template_test")
    assert (row.to_address, row.purpose, row.contact_id) == ("mara@example.com", "service", None)
    handler = ScriptedHandler()
    with smtp_server(handler) as controller:
        settings.MAIL_CATCHER = False
        settings.EMAIL_URL = f"smtp://127.0.0.1:{controller.port}?starttls=off"
        assert Worker(compose=compose, transport=get_transport).run_once() == 1
    [received] = handler.received
    mail = email.message_from_bytes(received.content, policy=policy.default)
    assert received.rcpt_tos == ("mara@example.com",)
    assert str(mail["Subject"]) == "[Test] Hello Sam"


def test_without_an_email_address_nothing_is_queued(owner):
    template = a_template()
    client_for(owner).post(f"/templates/{template.public_id}/test")
    assert not OutboxMessage.objects.exists()


def test_branch_staff_cannot_send_tests(north_staff):
    template = a_template()
    assert client_for(north_staff).post(f"/templates/{template.public_id}/test").status_code == 403


@pytest.mark.parametrize(
    "html",
    ["<p>{{ 1 // 0 }}</p>", "<p>{% for i in range(10**7) %}{{ i }}{% endfor %}</p>"],
    ids=["division-by-zero", "too-long"],
)
def test_a_template_that_cannot_render_is_refused_at_once_with_the_reason(settings, html):
    marketer = make_user("mara", role=Role.MARKETER)
    marketer.email = "mara@example.com"
    marketer.save()
    draft = Draft(subject="Hello", html_source=html)
    template = create_template(actor=ACTOR, name="Broken", draft=draft).template
    response = client_for(marketer).post(f"/templates/{template.public_id}/test", follow=True)
    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith("The test was not sent: this template cannot be filled in.")
    assert "on its way" not in response.content.decode()
    assert not OutboxMessage.objects.exists()
