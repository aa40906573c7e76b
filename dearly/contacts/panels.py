"""The contact page's extension point: apps above contacts add their part of its context.

contacts sits low in the layers, yet its page shows what other apps know of the person (the
touch timeline and open tasks, say). Those apps register a provider here from their
AppConfig.ready(); the page asks every provider in turn, so contacts never imports them.
"""

from collections.abc import Callable
from typing import Any

from dearly.contacts.models import Contact

# A provider gets the contact and the page's options (such as `log_kind`) and returns the
# context entries it owns.
Provider = Callable[..., dict[str, Any]]

_providers: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """Add (or replace, on a second ready()) the provider called `name`."""
    _providers[name] = provider


def context_for(contact: Contact, **options: Any) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for provider in _providers.values():
        context.update(provider(contact, **options))
    return context
