"""Reads for the Mailbox page."""

from uuid import UUID

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from dearly.mailbox.models import CaughtMail


def caught_mail(search: str = "") -> QuerySet[CaughtMail]:
    """Newest first (mailbox_newest_idx), matching the recipient or the subject."""
    mails = CaughtMail.objects.defer("raw")
    if search:
        mails = mails.filter(Q(rcpt_to__icontains=search) | Q(subject__icontains=search))
    return mails


def get_caught_mail(public_id: UUID) -> CaughtMail:
    return get_object_or_404(CaughtMail, public_id=public_id)
