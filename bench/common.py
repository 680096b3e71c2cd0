"""What the benchmarks share: the database, Django setup and the timing of one page."""

from __future__ import annotations

import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any
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


def setup() -> None:
    """Creates (PostgreSQL) and migrates the database; Django is ready afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        _ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)


def analyze() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def signed_in(user: Any) -> Any:
    """A test client signed in as `user` with the second factor given (every page needs it)."""
    from tests.clients import verified_client

    return verified_client(user)


def print_header() -> None:
    print(f"{'page':<36} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")


def measure(client: Any, label: str, path: str, runs: int) -> int:
    """Requests `path` once to warm up, then `runs` times; prints median, p95 and queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    timings = []
    for _run in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (label, response.status_code)
    p95 = sorted(timings)[max(int(len(timings) * 0.95) - 1, 0)]
    print(f"{label:<36} {statistics.median(timings):>10.1f} {p95:>8.1f} {len(queries):>8}")
    return len(queries)


def open_team_cases(demo: Any, count: int) -> list[Any]:
    """Opens cases for generated participants of team Rostock (partner A) until `count`
    exist; returns the cases it opened (none when there were enough)."""
    from bruecke.cases.models import Case
    from bruecke.participants import demo as participants_demo
    from bruecke.participants.models import Participant

    team, partner = demo.teams["Rostock"], demo.partners["A"]
    staff = [demo.users["cm_a"], demo.users["team_lead"]]
    existing = Case.objects.filter(team=team).count()
    if existing >= count:
        return []
    pool = Participant.objects.filter(organisation=partner, team=team, cases__isnull=True)
    if pool.count() < count - existing:
        participants_demo.generate(demo, (count - existing) * 6, seed=Participant.objects.count())
    rng = random.Random(count)
    today = datetime.date.today()
    return Case.objects.bulk_create(
        Case(
            participant=p,
            organisation_id=p.organisation_id,
            team=team,
            case_manager=staff[i % len(staff)],
            opened_on=today - datetime.timedelta(days=rng.randrange(60, 900)),
        )
        for i, p in enumerate(pool[: count - existing])
    )
