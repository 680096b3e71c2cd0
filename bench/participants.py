"""Benchmark: participant list, filters and name search with N participants.

Usage (PostgreSQL is where the target applies):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bruecke_bench \\
        .venv/bin/python bench/participants.py --participants 100000

The script creates the database if needed, migrates it, loads the demo network and N
synthetic participants (once; reused on later runs), then requests each page through
Django's full request stack as a case manager and reports the server time
(median and 95th percentile over the runs) and the number of SQL queries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bruecke.settings")
os.environ.setdefault("BRUECKE_ENV", "development")


def _ensure_database(url: str) -> None:
    """Creates the PostgreSQL database named in DATABASE_URL if it does not exist."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        _ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from bruecke.network.demo import seed_network
    from bruecke.participants import demo as participants_demo
    from bruecke.participants.models import Participant

    setup_test_environment()
    call_command("migrate", verbosity=0)
    demo = seed_network()
    participants_demo.seed_fixed(demo)
    missing = args.participants - Participant.objects.count()
    if missing > 0:
        started = time.perf_counter()
        participants_demo.generate(demo, missing, seed=Participant.objects.count())
        print(f"generated {missing} participants in {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    client = Client()
    client.force_login(demo.users["cm_a"])
    token = client.post("/participants/search/", {"q": "Mohammed"})["Location"]
    token_two = client.post("/participants/search/", {"q": "Schewtschenko 1987"})["Location"]
    token_partial = client.post("/participants/search/", {"q": "moha al"})["Location"]
    first_of_a = Participant.objects.filter(organisation=demo.partners["A"])[0]
    cases = {
        "list (first page)": "/participants/",
        "list (page 20)": "/participants/?page=20",
        "filter: status": "/participants/?status=gestattung",
        "filter: expiring documents": "/participants/?expiring=1",
        "search: Mohammed (variants)": token,
        "search: name + birth year": token_two,
        "search: prefixes 'moha al'": token_partial,
        "participant page": f"/participants/{first_of_a.pk}/",
    }
    visible = Participant.objects.filter(organisation=demo.partners["A"], team=demo.teams["Rostock"]).count()
    total = Participant.objects.count()
    print(f"{connection.vendor}: {total} participants; {visible} visible to the case manager")
    print(f"{'page':<32} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, path in cases.items():
        client.get(path)  # warm up
        timings = []
        for _run in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (label, response.status_code)
        p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
        print(f"{label:<32} {statistics.median(timings):>10.1f} {p95:>8.1f} {len(queries):>8}")


if __name__ == "__main__":
    main()
