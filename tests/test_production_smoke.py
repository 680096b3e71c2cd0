"""Production smoke test (decision 0032): Brücke as the operator guide runs it, over real
HTTP, against a fresh PostgreSQL database. Runs when DATABASE_URL points at PostgreSQL
(CI's second phase) and is skipped on SQLite.

`manage.py serve` (migrations check, collectstatic, check --deploy, gunicorn with the
repository's configuration) with BRUECKE_ENV=production; the test speaks to it from
127.0.0.1 with `X-Forwarded-Proto: https`, as the reverse proxy of the operator guide does
(gunicorn trusts that header from FORWARDED_ALLOW_IPS only; the secure `__Host-` cookies
and the HTTPS redirect stay on).
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bruecke.core import crypto
from bruecke.network.demo import DEMO_PASSWORD, PERSONAS
from tests.gunicorn_server import Browser, clean_environment, free_port, running, sign_in
from tests.manage_process import run_manage

DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith("postgres"), reason="the production smoke test needs PostgreSQL"
)
NAME = "Mohammed"


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """A new, empty PostgreSQL database on the server of DATABASE_URL; dropped afterwards."""
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = f"bruecke_smoke_{secrets.token_hex(4)}"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(*args: str, environment: dict[str, str]) -> str:
    result = run_manage(*args, environment=environment, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def _demo_key(seed_output: str) -> str:
    found = re.search(r"demo key ([A-Z2-7 ]+) \(", seed_output)
    assert found, "seed_demo printed no authenticator key"
    return found.group(1).replace(" ", "")


def test_production_serves_signed_in_pages_and_static_files(fresh_database: str, tmp_path: Path) -> None:
    port = free_port()
    production = clean_environment(
        BRUECKE_ENV="production",
        DATABASE_URL=fresh_database,
        SECRET_KEY="smoke-" + secrets.token_urlsafe(40),
        FIELD_ENCRYPTION_KEYS="smoke1:" + crypto.generate_key(),
        BRUECKE_LINKAGE_SECRET="smoke-linkage-" + secrets.token_urlsafe(40),
        ALLOWED_HOSTS="bruecke.test",
        SITE_URL="https://bruecke.test",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        STATIC_ROOT=str(tmp_path / "static"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
    )
    _manage("migrate", "--no-input", environment=production)
    # Staff with an authenticator each, and participants: seed_demo (refused in production
    # because of its known password) writes them with the production keys.
    seeded = _manage("seed_demo", environment=production | {"BRUECKE_ENV": "development"})
    username = PERSONAS["cm_a"][0]

    serve = [sys.executable, "manage.py", "serve"]
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(str(tmp_path / "notify.sock"))  # as systemd's Type=notify listens
    production["NOTIFY_SOCKET"] = str(tmp_path / "notify.sock")
    with notify, running(serve, production, port, tmp_path, start_seconds=300) as server:
        # `serve` became gunicorn (same process id: systemd's MAINPID), which says it is ready.
        assert b"gunicorn" in Path(f"/proc/{server.process.pid}/cmdline").read_bytes()
        notify.settimeout(30)
        assert notify.recv(1024).startswith(b"READY=1")
        browser = Browser(port)
        assert Browser(port, https=False).get("/accounts/login/").status == 301  # HTTPS only
        sign_in(browser, username, DEMO_PASSWORD, _demo_key(seeded))
        assert set(browser.cookies) >= {"__Host-sessionid", "__Host-csrftoken"}

        dashboard = browser.get("/dashboard/")
        assert dashboard.status == 200, dashboard.status
        listing = browser.get("/participants/")
        assert listing.status == 200
        participant = re.search(r'href="/participants/(\d+)/"', listing.text)
        assert participant, "the participant list shows no participant"
        assert browser.get(f"/participants/{participant.group(1)}/").status == 200
        # A PDF renders in its spawned child process under a gunicorn worker.
        report = browser.get(f"/privacy/participant/{participant.group(1)}/access-report.pdf")
        assert report.status == 200, report.status
        assert report.headers["Content-Type"] == "application/pdf"
        assert report.body.startswith(b"%PDF")
        assert browser.get(f"/participants/?q={NAME}").status == 200

        stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', dashboard.text)
        assert stylesheet, "the page links no hashed stylesheet"
        static = browser.get(stylesheet.group(1), {"Accept-Encoding": "br, gzip"})
        assert static.status == 200
        assert static.headers["Content-Encoding"] in ("br", "gzip")
        assert "max-age=315360000" in static.headers["Cache-Control"]
        assert static.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert static.headers["X-Content-Type-Options"] == "nosniff"
        assert static.headers["X-Frame-Options"] == "DENY"
        assert static.headers["Referrer-Policy"] == "same-origin"
    logs = server.logs()
    requests = re.findall(r"^\[[^]]+\] (?:GET|POST) (\S+) \d{3} ", logs, re.M)
    assert "/participants/" in requests
    assert not [path for path in requests if "?" in path]  # the query never reaches the log
    assert NAME not in logs
