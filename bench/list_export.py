"""Benchmark: exporting the participant list (CSV and XLSX) through the real job runner.

Usage (PostgreSQL is where the figures apply):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bruecke_bench \\
        .venv/bin/python bench/list_export.py --participants 100000

The script creates the database if needed, migrates it, loads the demo network and tops
team Rostock of partner A up to N participants (bulk-inserted once, reused on later runs),
then starts the export as the team's case manager and runs the job in this process with
the framework's runner (`bruecke.jobs.runner.run`, what the worker calls). It reports rows
per second, the file size, the number of SQL queries and the growth of the process's peak
memory (resident set) during each export.
"""

from __future__ import annotations

import argparse
import datetime
import resource
import time

from common import analyze, setup

BATCH = 5000


def _top_up(demo: object, wanted: int) -> int:
    from bruecke.participants.models import Gender, Participant

    partner, team = demo.partners["A"], demo.teams["Rostock"]  # type: ignore[attr-defined]
    have = Participant.objects.filter(organisation=partner, team=team).count()
    today = datetime.date.today()
    for start in range(have, wanted, BATCH):
        Participant.objects.bulk_create(
            Participant(
                organisation=partner,
                team=team,
                given_names=f"Vorname{index}",
                family_name="=HYPERLINK(1)" if index % 1000 == 0 else f"Familie{index}",
                latin_name=f"familie{index}",
                birth_year=1960 + index % 45,
                birth_month=1 + index % 12,
                gender=Gender.FEMALE if index % 2 else Gender.MALE,
                nationality="SY",
                phone=f"0381 {index:06d}",
                entry_date=today,
            )
            for index in range(start, min(start + BATCH, wanted))
        )
    return Participant.objects.filter(organisation=partner, team=team).count()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _export(user: object, output_format: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bruecke.jobs import runner
    from bruecke.jobs.models import Job
    from bruecke.spreadsheets.exporting.registry import get_list
    from bruecke.spreadsheets.exporting.start import list_export_start

    export = get_list("participants")
    assert export is not None
    job = list_export_start(
        actor=user,  # type: ignore[arg-type]
        export=export,
        query={},
        output_format=output_format,
        include_notes=False,
        language="de",
    )
    before = _peak_mb()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        runner.run(str(job.pk))
        seconds = time.perf_counter() - started
    job = Job.objects.get(pk=job.pk)
    assert job.state == "done", job.error_message
    rows = job.progress_total or 0
    size = job.result_file().stat().st_size / 1024 / 1024
    print(
        f"{output_format:<5} {rows:>9} rows {seconds:>7.1f} s {rows / seconds:>9.0f} rows/s "
        f"{size:>7.1f} MB file {len(queries):>5} queries  peak RSS +{_peak_mb() - before:.0f} MB "
        f"(process peak {_peak_mb():.0f} MB)"
    )
    job.result_file().unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--formats", nargs="+", default=["csv", "xlsx"])
    args = parser.parse_args()
    setup()
    from django.db import connection

    from bruecke.network.demo import seed_network

    demo = seed_network()
    started = time.perf_counter()
    visible = _top_up(demo, args.participants)
    print(
        f"{connection.vendor}: {visible} participants in team Rostock ({time.perf_counter() - started:.0f} s)"
    )
    analyze()
    for output_format in args.formats:
        _export(demo.users["cm_a"], output_format)


if __name__ == "__main__":
    main()
