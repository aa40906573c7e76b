"""Forms that record a fact (a consent decision, a call, a task) are safe to submit twice.

1. The form carries a one-time token, a hidden UUID made when the form is shown (`OnceField`).
2. The view records the fact inside `first_submission(token)`: in one transaction it inserts
   the token into `Submission` (primary key) and, only if that insert is new, writes the fact.
3. A second post of the same form (a double click, the back button, a retry) finds the token
   taken and writes nothing; on PostgreSQL a simultaneous second post waits on the first
   insert and then finds it. A write that fails rolls the token back with it, so the
   corrected form can be sent again.
4. A post without a token (an older page) is recorded as before: the token is a guard, not a
   condition. Tokens older than a week are pruned by a chore.
"""

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django import forms
from django.db import IntegrityError, transaction

from dearly.core.models import Submission

KEEP = dt.timedelta(days=7)


class OnceField(forms.UUIDField):
    """The form's one-time token: new each time an unbound form is shown."""

    widget = forms.HiddenInput

    def __init__(self) -> None:
        super().__init__(required=False, initial=uuid.uuid4)

    def bound_data(self, data: Any, initial: Any) -> Any:
        """A form sent back without a token (an older page) comes back with a new one."""
        return data or initial


@contextmanager
def first_submission(token: uuid.UUID | None) -> Iterator[bool]:
    """One transaction; yields True the first time `token` is seen, False for a repeat."""
    with transaction.atomic():
        if token is None:
            yield True
            return
        try:
            with transaction.atomic():
                Submission.objects.create(token=token)
        except IntegrityError:
            yield False
            return
        yield True


def prune(now: dt.datetime) -> int:
    deleted, _ = Submission.objects.filter(created_at__lt=now - KEEP).delete()
    return deleted
