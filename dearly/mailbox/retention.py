"""Caught mail older than the business keeps it goes."""

import datetime as dt

from dearly.core.queries import get_business
from dearly.core.retention import delete_before, months_before
from dearly.mailbox.models import CaughtMail

CHORE = "mailbox.retention"
EVERY = dt.timedelta(days=1)


def forget_old_mail(now: dt.datetime) -> int:
    cutoff = months_before(now, get_business().keep_caught_mail_months)
    return delete_before(CaughtMail.objects.all(), "received_at", cutoff)
