"""Production serving with real gunicorn processes (decision 0032): the configuration file,
the access and error logs without query strings, the trusted proxy, `manage.py serve`.
The whole production run on PostgreSQL is tests/test_production_smoke.py."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from bruecke import serving
from bruecke.core import crypto
from tests.gunicorn_server import ROOT, Browser, clean_environment, free_port, gunicorn_command, running
from tests.manage_process import run_manage

NAME = "Mohammed"  # stands for any name a counsellor searches for


def _server_environment(port: int, tmp_path: Path, **extra: str) -> dict[str, str]:
    settings = {
        "BRUECKE_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "ALLOWED_HOSTS": "bruecke.test",
    }
    return clean_environment(**(settings | extra))


def _production_environment(port: int, tmp_path: Path, **extra: str) -> dict[str, str]:
    return _server_environment(
        port,
        tmp_path,
        BRUECKE_ENV="production",
        SECRET_KEY="serving-test-" + "s" * 50,
        FIELD_ENCRYPTION_KEYS="serve1:" + crypto.generate_key(),
        BRUECKE_LINKAGE_SECRET="serving-linkage-" + "l" * 30,
        SITE_URL="https://bruecke.test",
        **extra,
    )


def _print_config(**environment: str) -> subprocess.CompletedProcess[str]:
    """gunicorn's own reading of the configuration file (does not load the application)."""
    return subprocess.run(  # noqa: S603
        [*gunicorn_command()[:-1], "--print-config"],
        cwd="/",  # the file must work from any directory
        env=clean_environment(**environment),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def _setting(output: str, name: str) -> str:
    for line in output.splitlines():
        key, _, value = line.partition("=")
        if key.strip() == name:
            return value.strip()
    raise AssertionError(f"{name} not in gunicorn's configuration")


def test_the_configuration_derives_workers_and_timeouts() -> None:
    result = _print_config()
    assert result.returncode == 0, result.stderr
    assert _setting(result.stdout, "workers") == str(2 * serving.cpu_count() + 1)
    assert _setting(result.stdout, "timeout") == "90"  # PDF_RENDER_TIMEOUT_SECONDS 60 + 30
    assert _setting(result.stdout, "graceful_timeout") == "90"
    assert _setting(result.stdout, "max_requests") == "1000"
    assert _setting(result.stdout, "max_requests_jitter") == "100"
    assert _setting(result.stdout, "forwarded_allow_ips") == "['127.0.0.1', '::1']"
    assert _setting(result.stdout, "control_socket_disable") == "True"
    assert _setting(result.stdout, "errorlog") == "-"


def test_the_configuration_follows_the_environment() -> None:
    result = _print_config(
        GUNICORN_WORKERS="3", PDF_RENDER_TIMEOUT_SECONDS="100", FORWARDED_ALLOW_IPS="10.0.0.5"
    )
    assert result.returncode == 0, result.stderr
    assert _setting(result.stdout, "workers") == "3"
    assert _setting(result.stdout, "timeout") == "130"
    assert _setting(result.stdout, "forwarded_allow_ips") == "['10.0.0.5']"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("GUNICORN_WORKERS", "many", "expected a whole number"),
        ("GUNICORN_WORKERS", "0", "must be at least 1"),
        ("GUNICORN_TIMEOUT", "65", "must be at least PDF_RENDER_TIMEOUT_SECONDS + 10"),
    ],
)
def test_bad_configuration_stops_the_start(variable: str, value: str, message: str) -> None:
    result = _print_config(**{variable: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_the_access_log_has_no_query_string(tmp_path: Path) -> None:
    port = free_port()
    with running(gunicorn_command(), _server_environment(port, tmp_path), port, tmp_path) as server:
        browser = Browser(port, https=False)
        answer = browser.get(
            f"/accounts/login/?q={NAME}&next=/participants/?q={NAME}", {"Referer": f"/x?q={NAME}"}
        )
        assert answer.status == 200
        request_id = answer.headers["X-Request-ID"]
        # A malformed request line: gunicorn's warning quotes it.
        with socket.create_connection(("127.0.0.1", port)) as raw:
            raw.sendall(f"GET /participants/?q={NAME} HTTP/1.1 extra\r\nHost: x\r\n\r\n".encode())
            assert raw.recv(1024).startswith(b"HTTP/1.1 400")
    logs = server.logs()
    assert "GET /accounts/login/ 200 " in logs
    assert request_id in logs  # Brücke's request id, as in the audit log
    assert "Invalid request from" in logs
    assert NAME not in logs


def test_an_error_outside_django_logs_no_query_string(tmp_path: Path) -> None:
    port = free_port()
    environment = _server_environment(port, tmp_path)
    command = gunicorn_command("tests.wsgi_failing:application")
    with running(command, environment, port, tmp_path) as server:
        assert Browser(port).get(f"/participants/?q={NAME}").status == 500
    logs = server.logs()
    assert "Error handling request GET /participants/?…" in logs
    assert "the application failed" in logs  # the traceback is kept
    assert NAME not in logs


def test_only_the_trusted_proxy_may_say_https(tmp_path: Path) -> None:
    port = free_port()
    with running(gunicorn_command(), _production_environment(port, tmp_path), port, tmp_path):
        assert Browser(port).get("/health/").status == 200  # from 127.0.0.1: the proxy
        redirect = Browser(port, https=False).get("/health/")
        assert redirect.status == 301
        assert redirect.headers["Location"] == "https://bruecke.test/health/"
    port = free_port()
    elsewhere = _production_environment(port, tmp_path, FORWARDED_ALLOW_IPS="192.0.2.10")
    with running(gunicorn_command(), elsewhere, port, tmp_path):
        # The same header from an address that is not the proxy is ignored.
        assert Browser(port).get("/health/").status == 301


def test_serve_refuses_unapplied_migrations(tmp_path: Path) -> None:
    environment = _production_environment(free_port(), tmp_path, STATIC_ROOT=str(tmp_path / "static"))
    result = run_manage("serve", environment=environment, timeout=120)
    assert result.returncode != 0
    assert "unapplied migrations" in result.stderr
    assert not (tmp_path / "static").exists()  # nothing done before the check


def test_static_files_carry_the_security_headers(client: Client) -> None:
    answer = client.get("/static/css/app.css")
    assert answer.status_code == 200
    assert answer["X-Frame-Options"] == "DENY"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in answer["Content-Security-Policy"]
    assert answer.get("Cache-Control") != "no-store"  # static files may be cached


UNITS = [
    "bruecke-web.service",
    "bruecke-worker@1.service",
    "bruecke-schedule.service",
    "bruecke-schedule.timer",
]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_the_operator_guides_systemd_units_are_valid(tmp_path: Path) -> None:
    guide = (ROOT / "docs" / "operator-guide.md").read_text()
    services = guide[guide.index("## Services") : guide.index("## Uploaded files")]
    blocks = re.findall(r"```ini\n(.*?)```", services, re.S)
    assert len(blocks) == len(UNITS)
    (tmp_path / "bruecke.env").write_text("BRUECKE_ENV=production\n")
    for name, block in zip(UNITS, blocks, strict=True):
        unit = (
            block.replace("/srv/bruecke/venv/bin/python", sys.executable)
            .replace("/srv/bruecke", str(ROOT))
            .replace("/etc/bruecke/bruecke.env", str(tmp_path / "bruecke.env"))
        )
        (tmp_path / name).write_text(unit)
    result = subprocess.run(  # noqa: S603
        ["systemd-analyze", "verify", "--man=no", *(str(tmp_path / name) for name in UNITS)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
