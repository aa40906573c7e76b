"""Logging a call or visit, and closing a task: what staff type, parsed; services decide."""

import datetime as dt

from django import forms
from django.http import QueryDict
from django.utils import timezone

from dearly.core.once import OnceField
from dearly.core.textforms import TextCheckedForm
from dearly.touches.models import CallOutcome, Task, TaskKind

LOGGABLE = {"call": ("call", "phone", "Log a call"), "visit": ("visit", "in_person", "Log a visit")}


class OutcomeForm(TextCheckedForm):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=CallOutcome.choices,
        widget=forms.RadioSelect,
        initial=CallOutcome.SPOKE,
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LogTouchForm(OutcomeForm):
    """A call or a visit: outcome (spoke by default), an optional note and time."""

    occurred_at = forms.DateTimeField(
        label="When",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Leave empty for now.",
    )
    submission = OnceField()

    def clean_occurred_at(self) -> dt.datetime | None:
        when: dt.datetime | None = self.cleaned_data.get("occurred_at")
        if when and when > timezone.now() + dt.timedelta(minutes=5):
            raise forms.ValidationError("That is in the future.")
        return when


class TaskDoneForm(OutcomeForm):
    """Closing a task: how it went. Tasks that are not a call or visit need no outcome."""

    def __init__(
        self, data: QueryDict | None = None, *, task_id: int, needs_outcome: bool = True
    ) -> None:
        # Several tasks' forms may be open on one page: their ids must not collide.
        super().__init__(data, auto_id=f"task{task_id}_%s")
        self.task_id = task_id
        if not needs_outcome:
            del self.fields["outcome"]


OUTCOME_KINDS = frozenset({TaskKind.CALL, TaskKind.VISIT})


def done_form(task: Task, data: QueryDict | None = None) -> TaskDoneForm:
    return TaskDoneForm(data, task_id=task.pk, needs_outcome=task.kind in OUTCOME_KINDS)


def with_done_forms(tasks: list[Task], bound: TaskDoneForm | None = None) -> list[Task]:
    """Give each task its "Done" form; the one that was just posted keeps its errors."""
    for task in tasks:
        form = bound if bound is not None and bound.task_id == task.pk else done_form(task)
        task.done_form = form  # type: ignore[attr-defined]
    return tasks


class TaskForm(TextCheckedForm):
    """A task set by hand. The contact is found by the view (by name, email or phone, within
    the member's scope); this shapes the rest, and services decide."""

    find = forms.CharField(
        label="Contact",
        required=False,
        max_length=100,
        help_text="Their name, email or phone number.",
    )
    kind = forms.ChoiceField(label="What kind", choices=TaskKind.choices, initial=TaskKind.CALL)
    title = forms.CharField(
        label="What needs doing",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "Ring back with a quote"}),
    )
    due_date = forms.DateField(
        label="Due", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    due_time = forms.TimeField(
        label="At",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Leave empty for any time that day.",
    )
    assigned_to = forms.ChoiceField(label="Who will do it", required=False)
    note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    submission = OnceField()

    def __init__(
        self, data: QueryDict | None = None, *, assignees: list[tuple[int, str]], me: int
    ) -> None:
        super().__init__(data, initial={"due_date": timezone.localdate(), "assigned_to": me})
        choices = [("", "Anyone who sees the contact"), *((str(pk), n) for pk, n in assignees)]
        self.fields["assigned_to"].choices = choices  # type: ignore[attr-defined]

    def clean_due_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["due_date"]
        if day < timezone.localdate():
            raise forms.ValidationError("That day has passed.")
        return day

    def due_at(self) -> dt.datetime:
        """The chosen time that day, or the day's last minute: due "on Friday" is not
        overdue until Friday is over."""
        day, at = self.cleaned_data["due_date"], self.cleaned_data.get("due_time")
        return timezone.make_aware(dt.datetime.combine(day, at or dt.time(23, 59)))
