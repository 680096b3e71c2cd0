"""Benchmark: importing a large spreadsheet (the engine behind the import pages and the
`import_spreadsheet` command).

Usage (PostgreSQL is where the targets apply):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bruecke_bench \\
        .venv/bin/python bench/spreadsheet_import.py [--rows 100000] [--entity employers]

Writes a CSV of N rows (German Excel style: `;`, UTF-8 with BOM, German labels and
yes/no words) for the entity, then measures four phases of the same file, each in
seconds, rows per second and the process's CPU seconds: reading only (every row's
cells), the dry run, the import, and the re-import (every row unchanged). After each
phase it prints the process's peak memory so far (getrusage maxrss). The rows get fresh
external ids on every run, so the import always creates. Targets (issue): 100,000
participant rows with their ESF entry data, dry run ≤ 60 s, import ≤ 120 s, memory
< 1 GB.

Generators exist per entity key (GENERATORS); the default is participants when that
entity is registered and has a generator, else employers.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from common import analyze, setup

Rows = Iterator[list[str]]


def employer_rows(count: int, prefix: str) -> tuple[list[str], Rows]:
    from django.utils import translation

    from bruecke.placement.models import CooperationStatus, Sector, SizeBand

    with translation.override("de"):
        sectors = [str(label) for _code, label in Sector.choices]
        sizes = [str(label) for _code, label in SizeBand.choices]
        statuses = [str(label) for _code, label in CooperationStatus.choices]
    header = ["Nr.", "Firma", "Branche", "Größe", "Status", "Ausbildungsbetrieb", "Notizen"]
    rng = random.Random(count)

    def rows() -> Rows:
        for number in range(1, count + 1):
            yield [
                f"{prefix}-{number}",
                f"Betrieb {number} GmbH",
                rng.choice(sectors),
                rng.choice(sizes),
                rng.choice(statuses),
                rng.choice(("ja", "nein")),
                "Erstkontakt über die Kammer; sucht Helfer in der Produktion.",
            ]

    return header, rows()


# Entity key -> (row count, external id prefix) -> (header, rows).
GENERATORS: dict[str, Callable[[int, str], tuple[list[str], Rows]]] = {"employers": employer_rows}


def write_csv(path: Path, header: list[str], rows: Rows) -> int:
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    return path.stat().st_size


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process (the Python side; the database server's time is not in it).
    On a shared machine it shows what the wall-clock time would be without the others."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def report(label: str, rows: int, seconds: float, cpu: float, extra: str = "") -> None:
    rate = rows / seconds if seconds else 0.0
    print(f"{label:<22} {seconds:>9.1f} {rate:>10.0f} {cpu:>7.1f} {peak_mb():>8.0f}  {extra}")


def importer(entity: Any, demo: Any) -> Any:
    """A staff member of partner A who may import the entity."""
    from bruecke.spreadsheets.batch import may_import

    partner = demo.partners["A"]
    return next(user for user in demo.users.values() if may_import(user, partner, entity))


def read_only(data: bytes, name: str) -> int:
    from bruecke.spreadsheets.reading import read_table

    table = read_table(data, name)
    return sum(1 for _number, cells in table.rows() if any(cells))


def run_phase(demo: Any, entity: Any, path: Path, data: bytes, *, dry_run: bool) -> Any:
    from bruecke.spreadsheets.batch import Source, build_plan, import_file
    from bruecke.spreadsheets.reading import read_table

    table = read_table(data, path.name)
    plan = build_plan(entity, table)
    errors: list[Any] = []
    _run, counts = import_file(
        actor=importer(entity, demo),
        organisation=demo.partners["A"],
        source=Source.of(path, data, table),
        plan=plan,
        dry_run=dry_run,
        on_row=lambda result: errors.append(result) if result.errors and len(errors) < 5 else None,
    )
    assert not counts.errors, [r.errors for r in errors]
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--entity", default="")
    args = parser.parse_args()
    setup()
    from django.utils import translation

    from bruecke.network.demo import seed_network
    from bruecke.spreadsheets import registry

    demo = seed_network()
    key = args.entity or next(k for k in ("participants", "employers") if registry.get(k) and k in GENERATORS)
    entity = registry.get(key)
    assert entity is not None and key in GENERATORS, f"no entity or generator for {key!r}"
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"{key}.csv"
        started = time.perf_counter()
        size = write_csv(path, *GENERATORS[key](args.rows, prefix))
        seconds = time.perf_counter() - started
        print(f"{key}: {args.rows:,} rows, {size / 1e6:.1f} MB CSV written in {seconds:.1f} s")
        data = path.read_bytes()
    print(f"{'phase':<22} {'seconds':>9} {'rows/s':>10} {'cpu s':>7} {'peak MB':>8}  counts")
    with translation.override("de"):
        started, cpu = time.perf_counter(), cpu_seconds()
        rows = read_only(data, path.name)
        report("read only", rows, time.perf_counter() - started, cpu_seconds() - cpu)
        for label, dry_run in (("dry run", True), ("import", False), ("re-import (unchanged)", False)):
            started, cpu = time.perf_counter(), cpu_seconds()
            counts = run_phase(demo, entity, path, data, dry_run=dry_run)
            seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
            report(label, counts.rows, seconds, cpu, str(counts.as_dict()))
            if label == "import":
                analyze()


if __name__ == "__main__":
    main()
