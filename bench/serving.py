"""Benchmark: gunicorn with production settings against PostgreSQL, signed-in page mix,
one configuration of persistent database connections after the other (decision 0032).

Usage:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/serving.py --participants 5000 --threads 8 --seconds 30 --rounds 2

A fresh database (`bruecke_bench_serving`, dropped afterwards unless --keep) gets the
migrations and the demo network with N generated participants. gunicorn starts with the
repository's configuration file (workers from the CPU count) and BRUECKE_ENV=production for
each configuration in turn; the client threads speak to it as the reverse proxy would
(tests/gunicorn_server.py) with one signed-in session each (the real sign-in with the second
factor, done once: sessions live in the database and survive the restarts). Each thread
requests the dashboard, the participant list, a name search, a participant page and a case
page in turn. Configurations alternate over the rounds, so that a change in the machine's
other load hits all of them alike.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from common import ROOT

from tests.gunicorn_server import Browser, clean_environment, free_port, gunicorn_command, running, sign_in

DATABASE = "bruecke_bench_serving"
# Fixed keys: the data is synthetic and the database is dropped after the run.
KEYS = {
    "SECRET_KEY": "bench-serving-not-secret-" + "k" * 40,
    "FIELD_ENCRYPTION_KEYS": "bench1:YmVuY2gtc2VydmluZy1rZXktbm90LXNlY3JldCEhISE=",
    "ALLOWED_HOSTS": "bruecke.test",
    "SITE_URL": "https://bruecke.test",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}
# Staff who see participants; sessions beyond their number reuse them (after the next
# authenticator step, as a code is accepted once).
USERS = ["anna.berger", "jonas.krause", "leyla.demir", "petra.lange", "omar.haddad"]
CONFIGURATIONS = [("0", "false"), ("60", "true"), ("60", "false")]


@dataclass
class Result:
    timings: list[float] = field(default_factory=list)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    cpu_seconds: float = 0.0  # gunicorn (master and workers) while the timings were taken


def _cpu_seconds(master: int) -> float:
    """User + system CPU time of gunicorn's master and its workers (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        pid, parent = int(stat.parent.name), int(fields[1])
        if master in (pid, parent):
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _database_urls(server_url: str) -> tuple[str, str]:
    parts = urlsplit(server_url)
    return parts._replace(path="/postgres").geturl(), parts._replace(path=f"/{DATABASE}").geturl()


def _create_database(admin: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')


def _drop_database(admin: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def _manage(environment: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(done.stdout[-3000:] + done.stderr[-3000:])
    return done.stdout


def _prepare(environment: dict[str, str], participants: int) -> str:
    """Migrates, seeds, collects static files; returns the demo authenticator key."""
    _manage(environment, "migrate", "--no-input")
    seeded = _manage(
        environment | {"BRUECKE_ENV": "development"}, "seed_demo", "--participants", str(participants)
    )
    _manage(environment, "collectstatic", "--no-input", "-v", "0")
    _manage(
        environment, "shell", "-c", "from django.db import connection; connection.cursor().execute('ANALYZE')"
    )
    found = re.search(r"demo key ([A-Z2-7 ]+) \(", seeded)
    assert found, "seed_demo printed no key"
    return found.group(1).replace(" ", "")


def _sign_in_all(port: int, threads: int, key: str) -> list[Browser]:
    from bruecke.accounts import totp
    from bruecke.network.demo import DEMO_PASSWORD

    browsers: list[Browser] = []
    used: set[tuple[str, int]] = set()
    for index in range(threads):
        user = USERS[index % len(USERS)]
        while (user, totp.current_step()) in used:
            time.sleep(1)
        used.add((user, totp.current_step()))
        browser = Browser(port)
        sign_in(browser, user, DEMO_PASSWORD, key)
        browsers.append(browser)
    return browsers


def _page_mix(browser: Browser) -> list[str]:
    listing = browser.get("/participants/").text
    participant = re.search(r'href="(/participants/\d+/)"', listing)
    assert participant, "no participant visible"
    paths = ["/dashboard/", "/participants/", "/participants/?q=Mohammed", participant.group(1)]
    case = re.search(r'href="(/cases/\d+/)"', browser.get(participant.group(1)).text)
    if case:
        paths.append(case.group(1))
    return paths


def _client(browser: Browser, paths: list[str], stop_at: float, start_at: float, result: Result) -> None:
    index = 0
    while (now := time.monotonic()) < stop_at:
        path = paths[index % len(paths)]
        index += 1
        started = time.perf_counter()
        status = browser.get(path).status
        elapsed = (time.perf_counter() - started) * 1000
        if now < start_at:
            continue  # warm-up: every worker opens its connection and fills its caches
        with result.lock:
            result.timings.append(elapsed)
            result.errors += status != 200


def _run(
    master: int, browsers: list[Browser], mixes: list[list[str]], seconds: float, warm_up: float
) -> Result:
    result = Result()
    start_at = time.monotonic() + warm_up
    stop_at = start_at + seconds
    workers = [
        threading.Thread(target=_client, args=(browser, mix, stop_at, start_at, result))
        for browser, mix in zip(browsers, mixes, strict=True)
    ]
    for worker in workers:
        worker.start()
    time.sleep(max(start_at - time.monotonic(), 0))
    cpu_before = _cpu_seconds(master)
    time.sleep(max(stop_at - time.monotonic(), 0))
    result.cpu_seconds = _cpu_seconds(master) - cpu_before
    for worker in workers:
        worker.join()
    return result


def _wait_until_serving(port: int) -> None:
    """Until every worker answers (the port accepts before the workers have loaded Django)."""
    for _attempt in range(600):
        answers = [Browser(port).get("/health/").status for _ in range(10)]
        if answers.count(200) == len(answers):
            return
        time.sleep(0.5)
    raise SystemExit("the server does not answer /health/")


def _print_row(
    label: tuple[str, str, str], timings: list[float], seconds: float, errors: str, cpu: float
) -> None:
    if not timings:
        print(f"{label[0]:>12} {label[1]:>6} {label[2]:>5}  no requests finished")
        return
    print(
        f"{label[0]:>12} {label[1]:>6} {label[2]:>5} {len(timings) / seconds:>7.1f} "
        f"{statistics.median(timings):>7.1f} {_percentile(timings, 0.95):>7.1f} "
        f"{_percentile(timings, 0.99):>7.1f} {len(timings):>8} {errors:>6} {cpu:>8.1f} "
        f"{os.getloadavg()[0]:>5.1f}",
        flush=True,
    )


def _connection_cost(runs: int) -> None:
    """What one request pays for its connection: a new one (CONN_MAX_AGE=0), the health
    check of a kept one (CONN_HEALTH_CHECKS), or nothing; each followed by one query."""
    from django.db import connection

    def timed(prepare: Callable[[], object], before: Callable[[], object]) -> float:
        timings = []
        for _run in range(runs):
            prepare()
            started = time.perf_counter()
            before()
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            timings.append((time.perf_counter() - started) * 1000)
        return statistics.median(timings)

    connection.ensure_connection()
    new = timed(connection.close, connection.ensure_connection)
    checked = timed(connection.ensure_connection, connection.is_usable)
    kept = timed(connection.ensure_connection, lambda: None)
    print(f"per request, median of {runs} (Django's connection, one SELECT 1 after it):")
    print(f"  new connection {new:.2f} ms, kept + health check {checked:.2f} ms, kept {kept:.2f} ms")
    connection.close()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warm-up", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith("postgres"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL server (this measures PostgreSQL connections).")
    admin, url = _database_urls(server_url)
    _create_database(admin)
    log_dir = Path(tempfile.mkdtemp(prefix="bruecke-bench-serving-"))
    base = clean_environment(
        BRUECKE_ENV="production", DATABASE_URL=url, STATIC_ROOT=str(log_dir / "static"), **KEYS
    )
    try:
        key = _prepare(base, args.participants)
        browsers: list[Browser] = []
        mixes: list[list[str]] = []
        print(
            f"{'CONN_MAX_AGE':>12} {'health':>6} {'round':>5} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'p99 ms':>7} {'requests':>8} {'errors':>6} {'CPU ms/r':>8} {'load':>5}"
        )
        totals: dict[tuple[str, str], list[float]] = {}
        cpu_totals: dict[tuple[str, str], list[float]] = {}
        for round_ in range(1, args.rounds + 1):
            for max_age, checks in CONFIGURATIONS:
                port = free_port()
                environment = base | {
                    "GUNICORN_BIND": f"127.0.0.1:{port}",
                    "DATABASE_CONN_MAX_AGE": max_age,
                    "DATABASE_CONN_HEALTH_CHECKS": checks,
                }
                with running(gunicorn_command(), environment, port, log_dir) as server:
                    _wait_until_serving(port)
                    if not browsers:
                        browsers = _sign_in_all(port, args.threads, key)
                    for browser in browsers:
                        browser.port = port
                    if not mixes:
                        mixes = [_page_mix(browser) for browser in browsers]
                    result = _run(server.process.pid, browsers, mixes, args.seconds, args.warm_up)
                totals.setdefault((max_age, checks), []).extend(result.timings)
                cpu = result.cpu_seconds * 1000 / max(len(result.timings), 1)
                cpu_totals.setdefault((max_age, checks), []).append(cpu)
                _print_row(
                    (max_age, checks, str(round_)), result.timings, args.seconds, str(result.errors), cpu
                )
        print("all rounds:")
        for (max_age, checks), timings in totals.items():
            cpu = statistics.median(cpu_totals[(max_age, checks)])
            _print_row((max_age, checks, "all"), timings, args.seconds * args.rounds, "", cpu)
        _connection_cost(500)
    finally:
        if not args.keep:
            _drop_database(admin)


if __name__ == "__main__":
    import signal

    import django

    # `kill` stops the servers and drops the database like Ctrl-C does.
    signal.signal(signal.SIGTERM, signal.default_int_handler)

    sys.path.insert(0, str(ROOT))
    django.setup()
    main()
