import datetime as dt


def step_due(now: dt.datetime) -> int:
    return 0
