from typing import Any

from django.conf import settings
from django.http import HttpRequest

from dearly.core.access import ROLE_CAPABILITIES, member_for


def member(request: HttpRequest) -> dict[str, Any]:
    m = member_for(request.user)
    caps = ROLE_CAPABILITIES.get(m.role, frozenset()) if m else frozenset()
    return {
        "member": m,
        "can": {c.value: True for c in caps},
        "mail_catcher": settings.MAIL_CATCHER,
        "send_windows": settings.SEND_WINDOWS,
    }
