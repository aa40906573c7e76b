"""Which of our messages earned a conversion: the contact's last real outbound message in the
attribution window before the event. Calls, visits and replies are touches too, but only a
message has an origin (a campaign, a journey, a rhythm) to credit."""

import datetime as dt

from dearly.touches.models import Direction, Kind, Touch


def last_message_before(*, contact_id: int, at: dt.datetime, days: int) -> Touch | None:
    # Served by touch_contact: WHERE contact_id=%s AND occurred_at BETWEEN … ORDER BY DESC.
    return (
        Touch.objects.filter(
            contact_id=contact_id,
            kind=Kind.MESSAGE,
            direction=Direction.OUTBOUND,
            real=True,
            occurred_at__lte=at,
            occurred_at__gt=at - dt.timedelta(days=days),
        )
        .order_by("-occurred_at", "-pk")
        .first()
    )
