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
