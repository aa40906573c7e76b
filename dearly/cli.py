"""The `dearly` command: `dearly demo`, `dearly web`, `dearly import contacts FILE`, … and every
Django management command (`dearly migrate`, `dearly createsuperuser`)."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dearly.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "dearly"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
