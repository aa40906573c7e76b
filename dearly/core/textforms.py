"""The base of every form: text that cannot be stored is refused next to its field.

Each field's raw value is asked `text_problem` before the field cleans it, so a NUL byte never
reaches a database lookup (a choice field queries with what it was sent). The field then
cleans the value without the offending characters, which the page shows back for correction.
A line break is text only in a text area.
"""

from typing import Any

from django import forms
from django.forms.widgets import Input

from dearly.core.text import readable, text_problem


def spans_lines(field: forms.Field) -> bool:
    widget = field.widget
    return not isinstance(widget, Input) or isinstance(widget, forms.HiddenInput)


class TextCheckedForm(forms.Form):
    def full_clean(self) -> None:
        problems = self._refuse_unstorable_text() if self.is_bound else {}
        super().full_clean()
        for name, problem in problems.items():
            self.add_error(name, f"This {problem}.")

    def _refuse_unstorable_text(self) -> dict[str, str]:
        """Field name → why its raw value cannot be stored; `self.data` is left readable."""
        problems: dict[str, str] = {}
        data: Any = self.data.copy()  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            html_name = self.add_prefix(name)
            multiline = spans_lines(field)
            for key in [k for k in data if k == html_name or k.startswith(html_name + "_")]:
                values = _values(data, key)
                found = [
                    p
                    for v in values
                    if isinstance(v, str)
                    if (p := text_problem(v, multiline=multiline))
                ]
                if found:
                    problems.setdefault(name, found[0])
                    _set_values(data, key, [_readable(v, multiline) for v in values])
        if problems:
            self.data = data
        return problems


def _readable(value: Any, multiline: bool) -> Any:
    return readable(value, multiline=multiline) if isinstance(value, str) else value


def _values(data: Any, key: str) -> list[Any]:
    if hasattr(data, "getlist"):
        return list(data.getlist(key))
    value = data[key]
    return list(value) if isinstance(value, list | tuple) else [value]


def _set_values(data: Any, key: str, values: list[Any]) -> None:
    if hasattr(data, "setlist"):
        data.setlist(key, values)
    else:
        data[key] = values if isinstance(data[key], list | tuple) else values[0]
