import pytest
from django.db import DatabaseError, IntegrityError, transaction

from dearly.core.actor import Actor
from dearly.core.models import AuditEvent
from dearly.messaging.models import ImmutableVersion, TemplateVersion
from dearly.messaging.services import Draft, TemplateError, create_template, save_version

pytestmark = pytest.mark.django_db


def actor_for(user):
    return Actor(source="ui", user=user, label=user.username)


def draft(subject="Hello {{ contact.first_name | default('there') }}", **kw):
    kw.setdefault("html_source", "<p>Hi {{ contact.first_name | default('there') }}</p>")
    return Draft(subject=subject, **kw)


def test_saving_makes_a_new_numbered_version_and_keeps_the_old_one(owner):
    first = create_template(actor=actor_for(owner), name="News", draft=draft("First"))
    second = save_version(
        actor=actor_for(owner), template=first.template, name="News", draft=draft("Second")
    )
    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert first.subject == "First"
    assert [v.subject for v in first.template.versions.order_by("number")] == ["First", "Second"]
    assert second.created_by == owner
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"template.created", "template.version_saved"} <= actions


def test_a_saved_version_cannot_be_saved_again(owner):
    version = create_template(actor=actor_for(owner), name="News", draft=draft())
    version.subject = "Changed"
    with pytest.raises(ImmutableVersion):
        version.save()


def test_the_database_refuses_to_change_a_saved_version(owner):
    version = create_template(actor=actor_for(owner), name="News", draft=draft("Original"))
    changes: list[dict[str, object]] = [
        {"subject": "Changed"},
        {"html_source": "<p>x</p>"},
        {"fallbacks": {}},
    ]
    for change in changes:
        with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
            TemplateVersion.objects.filter(pk=version.pk).update(**change)
    version.refresh_from_db()
    assert version.subject == "Original"


def test_only_the_author_may_be_cleared_when_their_account_goes(owner):
    version = create_template(actor=actor_for(owner), name="News", draft=draft())
    TemplateVersion.objects.filter(pk=version.pk).update(created_by=None)
    version.refresh_from_db()
    assert version.created_by is None and version.number == 1


def test_renaming_the_template_is_recorded(owner):
    version = create_template(actor=actor_for(owner), name="News", draft=draft())
    save_version(
        actor=actor_for(owner), template=version.template, name="Monthly news", draft=draft()
    )
    version.template.refresh_from_db()
    assert version.template.name == "Monthly news"
    event = AuditEvent.objects.get(action="template.renamed")
    assert (event.old, event.new) == ({"name": "News"}, {"name": "Monthly news"})


@pytest.mark.parametrize(
    ("content", "field", "line"),
    [
        ({"subject": ""}, "subject", None),
        ({"html_source": "  "}, "html_source", None),
        ({"html_source": "<p>\n{% if x %}</p>"}, "html_source", 2),
        ({"subject": "Hi {{ contact.__class__ }}"}, "subject", 1),
    ],
)
def test_a_version_that_cannot_be_rendered_is_not_saved(owner, content, field, line):
    with pytest.raises(TemplateError) as caught:
        create_template(actor=actor_for(owner), name="News", draft=draft(**content))
    assert (caught.value.field, caught.value.line) == (field, line)
    assert not TemplateVersion.objects.exists()
