from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dearly.core.actor import Actor
from dearly.core.apikeys import KEY_PREFIX, create_api_key, revoke_api_key
from dearly.core.models import ApiKey, Source

ACTOR = Actor(source=Source.CLI, label="command line")


class Command(BaseCommand):
    help = "Create, list and revoke API keys for the JSON API."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a key; it is shown once")
        create.add_argument("--name", required=True, help="the system that will use it")
        actions.add_parser("list", help="list keys (never the keys themselves)")
        revoke = actions.add_parser("revoke", help="revoke a key by its prefix")
        revoke.add_argument("prefix", help="the prefix shown by `dearly apikey list`")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "create":
            self._create(options["name"])
        elif action == "list":
            self._list()
        else:
            self._revoke(options["prefix"])

    def _create(self, name: str) -> None:
        try:
            key, raw = create_api_key(actor=ACTOR, name=name)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f'Created API key "{key.name}" (prefix {key.prefix}):\n\n  {raw}\n')
        self.stdout.write("Copy it now: it is shown only this once and cannot be recovered.")
        self.stdout.write("Send it with every call as a bearer token, for example:\n")
        self.stdout.write(
            f'  curl -H "Authorization: Bearer {raw}" {settings.BASE_URL}/api/v1/contacts\n'
        )
        self.stdout.write(f"API documentation: {settings.BASE_URL}/api/v1/docs")

    def _list(self) -> None:
        keys = list(ApiKey.objects.order_by("created_at", "id"))
        if not keys:
            self.stdout.write("No API keys yet. Create one with: dearly apikey create --name NAME")
            return
        self.stdout.write(f"{'PREFIX':<14}{'STATUS':<9}{'CREATED':<18}{'LAST USED':<18}NAME")
        for key in keys:
            self.stdout.write(
                f"{key.prefix:<14}{'revoked' if key.revoked_at else 'active':<9}"
                f"{_when(key.created_at):<18}{_when(key.last_used_at) or 'never':<18}{key.name}"
            )

    def _revoke(self, given: str) -> None:
        key = ApiKey.objects.filter(prefix=_prefix(given)).first()
        if key is None:
            raise CommandError(f"No API key with prefix {given!r}; see `dearly apikey list`")
        if key.revoked_at:
            self.stdout.write(f'API key "{key.name}" was already revoked.')
            return
        revoke_api_key(actor=ACTOR, key=key)
        self.stdout.write(f'Revoked API key "{key.name}" ({key.prefix}); calls with it get 401.')


def _prefix(given: str) -> str:
    """Accept the bare prefix, `dly_<prefix>`, or a whole key pasted by mistake."""
    parts = given.strip().split("_")
    return parts[1] if len(parts) > 1 and parts[0] == KEY_PREFIX else parts[0]


def _when(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""
