"""Entry points for validation processes. Nothing Django-dependent is imported at module
level: a spawned process unpickles these names before Django is set up."""

import os
from typing import Any


def setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dearly.settings")
    django.setup()


def validate(plan: Any, raw: Any) -> Any:
    from dearly.imports.engine.runner import validate_chunk

    return validate_chunk(plan, raw)
