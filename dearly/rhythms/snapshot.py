import datetime as dt


def refresh(now: dt.datetime) -> int:
    return 0
