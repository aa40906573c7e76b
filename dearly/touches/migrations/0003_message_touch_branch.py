"""Sent messages' touches were written without a branch, so a branch's dashboard counted its
calls and visits but none of its mail. Give them the contact's branch, as new ones get."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill_branch(apps, schema_editor):
    Touch = apps.get_model("touches", "Touch")
    Contact = apps.get_model("contacts", "Contact")
    branch = Contact.objects.filter(pk=OuterRef("contact_id")).values("branch_id")[:1]
    Touch.objects.filter(kind="message", branch__isnull=True).update(branch_id=Subquery(branch))


class Migration(migrations.Migration):
    dependencies = [("touches", "0002_task_open_due")]

    operations = [migrations.RunPython(fill_branch, migrations.RunPython.noop)]
