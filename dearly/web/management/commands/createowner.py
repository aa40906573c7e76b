"""`dearly createowner`: the first account of a real (non-demo) installation."""

import getpass
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from dearly.core.actor import Actor
from dearly.core.audit import record_event
from dearly.core.models import Membership, Role, Source


class Command(BaseCommand):
    help = "Create an owner account (asks for the password)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **opts: Any) -> None:
        username = opts["username"]
        if User.objects.filter(username=username).exists():
            raise CommandError(f"There is already an account called {username!r}.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password again: "):
            raise CommandError("The passwords differ.")
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        with transaction.atomic():
            user = User.objects.create_user(
                username=username, email=opts["email"], password=password
            )
            membership = Membership.objects.create(user=user, role=Role.OWNER)
            record_event(
                actor=Actor(source=Source.CLI, label="createowner"),
                action="member.created",
                subject=membership,
                new={"username": username, "role": Role.OWNER},
            )
        self.stdout.write(self.style.SUCCESS(f"Owner {username!r} created."))
