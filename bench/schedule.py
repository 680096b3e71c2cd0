"""Benchmark: the daily run (`run_schedule`) over many open cases.

Usage (PostgreSQL is where the figures count):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h3 .venv/bin/python bench/schedule.py --cases 10000

Generated participants of partner A, team Rostock, get an open case each (their documents
expire between 30 days ago and 700 days ahead, so about 1 in 12 lies in the 42-day
window). The run is timed three times: the first creates the reminder tasks, the second
and third find everything in place (the daily case). Query counts per run are printed.
"""

from __future__ import annotations

import argparse
import time

from common import analyze, open_team_cases, setup


def _open_cases(count: int) -> None:
    from bruecke.network.demo import seed_network
    from bruecke.participants import demo as participants_demo

    demo = seed_network()
    participants_demo.seed_fixed(demo)
    open_team_cases(demo, count)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10000)
    args = parser.parse_args()
    setup()
    import logging

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bruecke.cases.models import Case, Task, TaskSource
    from bruecke.reminders.schedule import run_schedule

    logging.getLogger("bruecke.reminders").setLevel(logging.WARNING)
    _open_cases(args.cases)
    analyze()
    open_cases = Case.objects.exclude(status="closed").count()
    print(f"{connection.vendor}: {open_cases} open cases")
    for label in ("first run", "second run", "third run"):
        connection.queries_log.clear()  # the log keeps 9,000 queries; count each run afresh
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            report = run_schedule()
            elapsed = time.perf_counter() - started
        residence = report.steps["residence_reminders"].counts
        print(f"{label:<12} {elapsed:>8.2f} s {len(queries):>8} queries  residence: {residence}")
    print("reminder tasks:", Task.objects.filter(source=TaskSource.RESIDENCE_EXPIRY).count())


if __name__ == "__main__":
    main()
