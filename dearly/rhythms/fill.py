import datetime as dt


def run(now: dt.datetime) -> int:
    return 0
