"""Bulk demo data at scale: `seed_demo --participants N`, timed, with the table sizes after.

Usage (PostgreSQL; creates and migrates the database if needed):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_1m \\
        /usr/bin/time -v .venv/bin/python bench/seed_scale.py --participants 1000000

`--sizes-only` prints the sizes of an already loaded database. The command itself prints
rows and seconds per phase (bruecke.core.bulkload, decision 0065); max RSS comes from
`/usr/bin/time -v`. Figures: docs/benchmarks.md, "Bulk demo data at 1,000,000 participants".
"""

from __future__ import annotations

import argparse
import time

from common import setup

TABLES = (
    "participants_participant",
    "participants_namekey",
    "dedupe_blockingkey",
    "participants_residencestatus",
    "participants_consent",
    "cases_case",
    "placement_matchprofile",
    "cases_contact",
    "cases_contact_topics",
    "cases_caseevent",
    "cases_task",
    "cases_plan",
    "cases_planversion",
    "cases_casedocument",
    "core_auditevent",
)


def print_sizes() -> None:
    """Rows (planner estimate after ANALYZE) and size with indexes, per table and in total."""
    from django.db import connection

    total = 0
    with connection.cursor() as cursor:
        print(f"{'table':<32} {'rows':>12} {'MB':>8} {'of it indexes MB':>17}")
        for table in TABLES:
            cursor.execute(
                "SELECT (SELECT COALESCE(SUM(reltuples), 0) FROM pg_class WHERE oid IN "
                "  (SELECT %s::regclass UNION"
                "   SELECT inhrelid FROM pg_inherits WHERE inhparent = %s::regclass)"
                "  AND relkind = 'r'), "
                "pg_total_relation_size(%s::regclass), pg_indexes_size(%s::regclass)",
                [table, table, table, table],
            )
            rows, size, indexes = cursor.fetchone()
            total += size
            print(f"{table:<32} {int(rows):>12,} {size / 2**20:>8,.0f} {indexes / 2**20:>17,.0f}")
        cursor.execute("SELECT pg_database_size(current_database())")
        print(f"{'these tables':<32} {'':>12} {total / 2**20:>8,.0f}")
        print(f"{'whole database':<32} {'':>12} {cursor.fetchone()[0] / 2**20:>8,.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--sizes-only", action="store_true")
    args = parser.parse_args()
    setup()
    if not args.sizes_only:
        from django.core.management import call_command

        started = time.perf_counter()
        call_command("seed_demo", participants=args.participants)
        print(f"seed_demo --participants {args.participants}: {time.perf_counter() - started:.0f} s")
    print_sizes()


if __name__ == "__main__":
    main()
