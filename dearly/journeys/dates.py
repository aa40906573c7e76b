import datetime as dt


def enrol_due(now: dt.datetime) -> int:
    return 0
