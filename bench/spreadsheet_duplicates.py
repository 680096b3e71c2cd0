"""Benchmark: the duplicate check of a participant import (`spreadsheets.duplicates`).

Usage:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/DBNAME \\
        .venv/bin/python bench/spreadsheet_duplicates.py [--rows 100000] [--existing 2000]

Imports `--existing` participants of the generated list (`spreadsheet_import.py`'s
participant_rows) through the import engine, so that they are registrations the
importing case manager sees, then writes a file of `--rows` rows of the same generator
under new external ids (its first `--existing` rows are the same people again) and times
`probable_duplicates` over it: seconds, rows per second, the process's CPU seconds, peak
memory, the number of queries and the warnings (about registrations, within the file).
With `--existing 0` the registrations of earlier runs are the ones in scope (the generator
makes the same people for the same row numbers).
"""

from __future__ import annotations

import argparse
import time
import uuid

from common import analyze, setup
from spreadsheet_import import cpu_seconds, importer, participant_rows, peak_mb, write_csv


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--existing", type=int, default=2000)
    args = parser.parse_args()
    setup()
    import tempfile
    from pathlib import Path

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from bruecke.network.demo import seed_network
    from bruecke.spreadsheets import duplicates, registry
    from bruecke.spreadsheets.base import ImportContext
    from bruecke.spreadsheets.batch import build_plan
    from bruecke.spreadsheets.engine import run_file
    from bruecke.spreadsheets.reading import read_table

    demo = seed_network()
    entity = registry.get("participants")
    assert entity is not None
    user = importer(entity, demo)
    ctx = ImportContext(actor=user, organisation=demo.partners["A"], entity=entity.key)
    run = uuid.uuid4().hex[:8]
    with translation.override("de"), tempfile.TemporaryDirectory() as directory:
        if args.existing:
            path = Path(directory) / "existing.csv"
            write_csv(path, *participant_rows(args.existing, f"old-{run}"))
            table = read_table(path.read_bytes(), path.name)
            started = time.perf_counter()
            counts = run_file(ctx, build_plan(entity, table), table, dry_run=False, on_row=lambda _r: None)
            assert counts.created == args.existing, counts.as_dict()
            print(f"{args.existing:,} registrations imported in {time.perf_counter() - started:.1f} s")
            analyze()
        path = Path(directory) / "file.csv"
        write_csv(path, *participant_rows(args.rows, f"new-{run}"))
        table = read_table(path.read_bytes(), path.name)
        plan = build_plan(entity, table)
        connection.queries_log.clear()  # the import above may have filled it (9,000 at most)
        started, cpu = time.perf_counter(), cpu_seconds()
        with CaptureQueriesContext(connection) as queries:
            warnings = duplicates.probable_duplicates(ctx, duplicates.file_rows(plan, table))
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    existing = sum(1 for w in warnings if w.participant_id is not None)
    warned = len({w.row_number for w in warnings})
    print(
        f"{args.rows:,} rows: {seconds:.1f} s ({args.rows / seconds:,.0f} rows/s), CPU {cpu:.1f} s, "
        f"peak {peak_mb():.0f} MB, {len(queries)} queries "
        f"({duplicates.CHUNK_ROWS} rows per chunk), warnings: {existing:,} about registrations, "
        f"{len(warnings) - existing:,} within the file, rows warned: {warned:,}"
    )


if __name__ == "__main__":
    main()
