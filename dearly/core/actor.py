"""Who is doing something, and through which door: every service call names its actor."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dearly.core.models import Source

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.http import HttpRequest


@dataclass(frozen=True, slots=True)
class Actor:
    source: str
    user: "AbstractBaseUser | None" = None
    label: str = ""
    ip_address: str | None = None
    user_agent: str = ""

    @classmethod
    def from_request(cls, request: "HttpRequest", *, source: str = Source.UI) -> "Actor":
        user: Any = request.user if request.user.is_authenticated else None
        return cls(
            source=source,
            user=user,
            label=user.get_username() if user else "",
            ip_address=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:400],
        )

    @classmethod
    def system(cls, label: str = "system") -> "Actor":
        return cls(source=Source.SYSTEM, label=label)

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "pk", None)
