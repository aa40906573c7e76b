"""Starter playbooks (C3): ready-made plans with their emails, journeys, rhythm and series.

install(*, actor, key) -> Plan      one transaction; a second install is refused
"""

from dearly.plans.playbooks.catalogue import PLAYBOOKS
from dearly.plans.playbooks.install import PlaybookError, install, installed

__all__ = ["PLAYBOOKS", "PlaybookError", "install", "installed"]
