"""Benchmark: importing a large spreadsheet (the engine behind the import pages and the
`import_spreadsheet` command).

Usage (PostgreSQL is where the targets apply):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bruecke_bench \\
        .venv/bin/python bench/spreadsheet_import.py [--rows 100000] [--entity participants+esf_entries]

Writes a CSV of N rows (German Excel style: `;`, UTF-8 with BOM, German labels and
yes/no words) for the entity, then measures four phases of the same file, each in
seconds, rows per second and the process's CPU seconds: reading only (every row's
cells), the dry run, the import, and the re-import (every row unchanged). After each
phase it prints the process's peak memory so far (getrusage maxrss). The rows get fresh
external ids on every run, so the import always creates. Targets (issue): 100,000
participant rows with their ESF entry data, dry run ≤ 60 s, import ≤ 120 s, memory
< 1 GB.

Generators exist per entity key (GENERATORS). `--entity` takes one key or several joined
by `+`; the default, `participants+esf_entries`, imports the participant list and then
the ESF entry questionnaires referring to those participants by their external id, and
prints the phases of each file and their sums (the targets apply to the sums).
"""

from __future__ import annotations

import argparse
import csv
import datetime
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


GIVEN_NAMES = (
    "Ahmad",
    "Mohammed",
    "Fatima",
    "Aisha",
    "Omar",
    "Yusuf",
    "Mariam",
    "Hassan",
    "Zainab",
    "Ali",
    "Olena",
    "Oksana",
    "Dmytro",
    "Iryna",
    "Tetiana",
    "Andrii",
    "Natalia",
    "Serhii",
    "Senait",
    "Yonas",
    "Abdi",
    "Hodan",
    "Nino",
    "Giorgi",
    "Mehmet",
    "Elif",
    "Reza",
    "Farida",
    "Samir",
    "Layla",
)
FAMILY_NAMES = (
    "Al-Hussein",
    "Haddad",
    "Rahimi",
    "Ahmadi",
    "Mohammadi",
    "Khalil",
    "Nasser",
    "Saleh",
    "Karimi",
    "Hosseini",
    "Kovalenko",
    "Shevchenko",
    "Bondarenko",
    "Tkachenko",
    "Melnyk",
    "Tesfaye",
    "Gebremedhin",
    "Mohamed",
    "Warsame",
    "Beridze",
    "Yılmaz",
    "Demir",
    "Kaya",
    "Jafari",
    "Sultani",
    "Noori",
    "Osman",
    "Abdullahi",
    "Mamedov",
    "Petrenko",
)
# Nationality as the lists write it (German adjective or country name), country of birth,
# first language, weight.
ORIGINS = (
    ("syrisch", "Syrien", "Arabisch", 20),
    ("afghanisch", "Afghanistan", "Dari", 16),
    ("ukrainisch", "Ukraine", "Ukrainisch", 18),
    ("Irak", "Irak", "Kurdisch", 6),
    ("eritreisch", "Eritrea", "Tigrinya", 6),
    ("somalisch", "Somalia", "Somali", 5),
    ("türkisch", "Türkei", "Türkisch", 8),
    ("iranisch", "Iran", "Farsi", 6),
    ("georgisch", "Georgien", "Georgisch", 3),
    ("russisch", "Russland", "Russisch", 4),
    ("Syrien", "Libanon", "Arabisch", 3),
    ("unbekannt", "", "Arabisch", 2),
)
TOWNS = (
    ("Rostock", "18055", "Rostock", "Doberaner Straße"),
    ("Rostock", "18106", "Rostock", "Rigaer Straße"),
    ("Bad Doberan", "18209", "Landkreis Rostock", "Alexandrinenplatz"),
    ("Güstrow", "18273", "Landkreis Rostock", "Am Wall"),
    ("Bützow", "18246", "Landkreis Rostock", "Lange Straße"),
    ("Teterow", "17166", "Landkreis Rostock", "Malchiner Straße"),
)


def _person(number: int) -> dict[str, Any]:
    """The facts of participant `number` both files agree on (entry date for the ESF dates)."""
    rng = random.Random(number)
    today = datetime.date.today()
    year = today.year - rng.randint(18, 58)
    start = datetime.date(2024, 1, 1)
    entry = start + datetime.timedelta(days=rng.randrange((today - start).days))
    return {"rng": rng, "year": year, "entry": entry}


def _date(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def participant_rows(count: int, prefix: str) -> tuple[list[str], Rows]:
    """An old participant list: German headers, DD.MM.YYYY dates, partly known dates of
    birth (00.00.YYYY, MM.YYYY, YYYY), nationalities as adjectives or country names, German
    language names and words for gender and yes/no."""
    header = [
        "Nr.", "Vorname", "Nachname", "Geburtsdatum", "Geschlecht", "Staatsangehörigkeit",
        "Geburtsland", "Telefon", "E-Mail", "Messenger", "Straße", "PLZ", "Ort", "Landkreis",
        "Einreise", "Eintritt", "Muttersprache", "weitere Sprachen", "Deutschkenntnisse",
        "Kinder", "alleinerziehend", "Projekt", "Team",
    ]  # fmt: skip
    origins = [origin[:3] for origin in ORIGINS for _weight in range(origin[3])]

    def rows() -> Rows:
        for number in range(1, count + 1):
            person = _person(number)
            rng, year, entry = person["rng"], person["year"], person["entry"]
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            birth = rng.choices(
                (f"{day:02d}.{month:02d}.{year}", f"00.00.{year}", f"{month:02d}.{year}", str(year)),
                weights=(70, 12, 8, 10),
            )[0]
            nationality, born_in, language = rng.choice(origins)
            given = rng.choice(GIVEN_NAMES)
            town, postcode, district, street = rng.choice(TOWNS)
            earliest = max(datetime.date(2014, 1, 1), datetime.date(year + 1, 1, 1))
            arrival = earliest + datetime.timedelta(days=rng.randrange(max((entry - earliest).days, 1)))
            years = range(year + 19, datetime.date.today().year + 1)
            children = sorted(rng.sample(years, min(rng.choice((0, 0, 1, 2)), len(years))))
            yield [
                f"{prefix}-{number}",
                given,
                rng.choice(FAMILY_NAMES),
                birth,
                rng.choice(("w", "m", "m", "weiblich", "männlich", "d")),
                nationality,
                born_in,
                f"0151 {rng.randrange(10**7):07d}" if rng.random() < 0.8 else "",
                f"{given.lower()}.{number}@example.org" if rng.random() < 0.4 else "",
                rng.choice(("WhatsApp", "WhatsApp", "Signal", "Telegram", "")),
                f"{street} {rng.randint(1, 80)}",
                postcode,
                town,
                district,
                _date(arrival) if rng.random() < 0.85 else "",
                _date(entry),
                language,
                rng.choice(("", "Englisch", "Englisch, Russisch", "Arabisch; Englisch", "Französisch")),
                rng.choice(("keine", "A1", "A1", "A2", "B1", "B2")),
                ", ".join(str(child) for child in children),
                rng.choice(("ja", "nein", "nein", "")),
                "NAF MV plus",
                "Regionalteam Rostock",
            ]

    return header, rows()


def esf_entry_rows(count: int, prefix: str) -> tuple[list[str], Rows]:
    """The ESF entry questionnaires of the participants `participant_rows` wrote with the
    same prefix, one row each, referring to them by their external id (TN-Nr.)."""
    header = [
        "Nr.", "TN-Nr.", "Erwerbsstatus", "arbeitslos seit", "ISCED", "Schulabschluss",
        "Berufsabschluss", "Behinderung", "Angaben zur Behinderung", "Minderheit",
        "Migrationshintergrund", "obdachlos", "sensible Fragen gestellt am",
        "weitere Staatsangehörigkeiten", "ländlicher Raum",
    ]  # fmt: skip

    def rows() -> Rows:
        for number in range(1, count + 1):
            entry = _person(number)["entry"]
            rng = random.Random(-number)
            status = rng.choices(("arbeitslos gemeldet", "nicht erwerbstätig", "erwerbstätig"), (30, 55, 15))[
                0
            ]
            since = entry - datetime.timedelta(days=rng.randrange(1, 500))
            disability = rng.choices(("nein", "ja", "keine Angabe"), (88, 6, 6))[0]
            yield [
                f"{prefix}-esf-{number}",
                f"{prefix}-{number}",
                status,
                _date(since) if status == "arbeitslos gemeldet" and rng.random() < 0.8 else "",
                f"ISCED {rng.choice((0, 1, 1, 2, 2, 3, 3, 4, 6))}",
                rng.choice(("kein Abschluss", "Hauptschulabschluss", "mittlere Reife", "Abitur", "")),
                rng.choice(("keine", "keine", "Ausbildung", "Studium", "")),
                disability,
                "Hörbeeinträchtigung" if disability == "ja" else "",
                rng.choices(("nein", "ja", "keine Angabe"), (80, 10, 10))[0],
                rng.choices(("ja", "keine Angabe"), (95, 5))[0],
                rng.choices(("nein", "ja"), (93, 7))[0],
                _date(entry),
                "DE" if rng.random() < 0.05 else "",
                rng.choice(("ja", "nein", "nein", "")),
            ]

    return header, rows()


# Entity key -> (row count, external id prefix) -> (header, rows). The prefix is shared by
# the files of one run, so that the ESF entries find the participants imported before.
GENERATORS: dict[str, Callable[[int, str], tuple[list[str], Rows]]] = {
    "employers": employer_rows,
    "participants": participant_rows,
    "esf_entries": esf_entry_rows,
}


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


def run_file(demo: Any, key: str, rows: int, prefix: str) -> dict[str, float]:
    """Writes the entity's file and measures its four phases; returns seconds by phase."""
    from bruecke.spreadsheets import registry

    entity = registry.get(key)
    assert entity is not None and key in GENERATORS, f"no entity or generator for {key!r}"
    assert importer(entity, demo) is not None
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"{key}.csv"
        started = time.perf_counter()
        size = write_csv(path, *GENERATORS[key](rows, prefix))
        seconds = time.perf_counter() - started
        print(f"\n{key}: {rows:,} rows, {size / 1e6:.1f} MB CSV written in {seconds:.1f} s")
        data = path.read_bytes()
    print(f"{'phase':<22} {'seconds':>9} {'rows/s':>10} {'cpu s':>7} {'peak MB':>8}  counts")
    timings: dict[str, float] = {}
    started, cpu = time.perf_counter(), cpu_seconds()
    count = read_only(data, path.name)
    timings["read only"] = time.perf_counter() - started
    report("read only", count, timings["read only"], cpu_seconds() - cpu)
    for label, dry_run in (("dry run", True), ("import", False), ("re-import (unchanged)", False)):
        started, cpu = time.perf_counter(), cpu_seconds()
        counts = run_phase(demo, entity, path, data, dry_run=dry_run)
        timings[label], cpu = time.perf_counter() - started, cpu_seconds() - cpu
        report(label, counts.rows, timings[label], cpu, str(counts.as_dict()))
        assert counts.rows == rows, (label, counts.as_dict())
        if label == "import":
            analyze()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--entity",
        default="participants+esf_entries",
        help="an entity key, or several joined by + (imported in this order, sharing the external ids)",
    )
    args = parser.parse_args()
    setup()
    from django.utils import translation

    from bruecke.network.demo import seed_network

    demo = seed_network()
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    totals: dict[str, float] = {}
    with translation.override("de"):
        for key in args.entity.split("+"):
            for label, seconds in run_file(demo, key, args.rows, prefix).items():
                totals[label] = totals.get(label, 0.0) + seconds
    if "+" in args.entity:
        print(f"\nall files ({args.entity}), {args.rows:,} rows each:")
        for label, seconds in totals.items():
            print(f"{label:<22} {seconds:>9.1f} {args.rows / seconds:>10.0f}")


if __name__ == "__main__":
    main()
