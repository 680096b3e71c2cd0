from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from bruecke import env
from bruecke.core import crypto
from tests.manage_process import run_manage

ROOT = Path(__file__).resolve().parent.parent


def _production_env(**extra: str) -> dict[str, str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("BRUECKE_ENV", "DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return {
        **base,
        "BRUECKE_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "bruecke.settings",
        "SECRET_KEY": "a" * 20 + "-production-secret-" + "z" * 30,
        "ALLOWED_HOSTS": "bruecke.example.org",
        "FIELD_ENCRYPTION_KEYS": "prod1:" + crypto.generate_key(),
        "SITE_URL": "https://bruecke.example.org",
        "REPORTING_PSEUDONYM_KEY": "p" * 20 + "-pseudonym-key-" + "q" * 20,
        "BRUECKE_LINKAGE_SECRET": "l" * 20 + "-linkage-secret-" + "k" * 20,
        **extra,
    }


def _manage(*args: str, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_manage(*args, environment=environment)


def test_production_settings_pass_check_deploy() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", environment=_production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_cookies_carry_the_host_prefix() -> None:
    script = "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME)"
    result = _manage("shell", "-v", "0", "-c", script, environment=_production_env())
    assert result.stdout.split()[-2:] == ["__Host-sessionid", "__Host-csrftoken"], result.stderr
    insecure = _production_env(SESSION_COOKIE_SECURE="false")
    plain = _manage("shell", "-v", "0", "-c", script, environment=insecure)
    assert plain.stdout.split()[-2] == "sessionid"  # the prefix needs Secure, or browsers drop it


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "SITE_URL", "ALLOWED_HOSTS", "BRUECKE_LINKAGE_SECRET"]
)
def test_production_refuses_to_start_without_secrets(missing: str) -> None:
    environment = _production_env()
    del environment[missing]
    result = _manage("check", environment=environment)
    assert result.returncode != 0
    assert missing in result.stderr


def test_malformed_encryption_keys_stop_the_start() -> None:
    result = _manage("check", environment=_production_env(FIELD_ENCRYPTION_KEYS="k1:QUJD"))
    assert result.returncode != 0
    assert "32 bytes" in result.stderr


def test_seed_demo_is_refused_in_production() -> None:
    result = _manage("seed_demo", environment=_production_env(DATABASE_URL="sqlite:///:memory:"))
    assert result.returncode != 0
    assert "not in production" in result.stderr


def test_env_helpers_fail_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env.env_bool("X_BOOL", False)
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(ImproperlyConfigured):
        env.env_int("X_INT", 1)
    monkeypatch.setenv("X_INT", "0")
    with pytest.raises(ImproperlyConfigured):
        env.env_int("X_INT", 1, minimum=1)
    monkeypatch.setenv("X_CHOICE", "staging")
    with pytest.raises(ImproperlyConfigured):
        env.env_choice("X_CHOICE", "a", ("a", "b"))
    monkeypatch.delenv("X_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured):
        env.env_str("X_REQUIRED")
    monkeypatch.setenv("X_LIST", " a, b ,,c")
    assert env.env_list("X_LIST", []) == ["a", "b", "c"]
    monkeypatch.setenv("X_BOOL", "False")
    assert env.env_bool("X_BOOL", True) is False


def test_secrets_can_come_from_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert env.env_secret("X_SECRET") == "from-a-file"
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "absent"))
    with pytest.raises(ImproperlyConfigured):
        env.env_secret("X_SECRET")


@pytest.mark.django_db
def test_migrations_match_the_models() -> None:
    from io import StringIO

    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def _settings_value(expression: str, **environment: str) -> subprocess.CompletedProcess[str]:
    script = f"from django.conf import settings as s; print({expression})"
    env_ = {k: v for k, v in os.environ.items() if not k.startswith("JOB_")}
    env_.update(DJANGO_SETTINGS_MODULE="bruecke.settings", BRUECKE_ENV="development", **environment)
    return _manage("shell", "-v", "0", "-c", script, environment=env_)


def test_background_job_settings_have_their_defaults() -> None:
    result = _settings_value(
        "s.JOB_RESULTS_DIR, s.JOB_RESULT_DAYS, s.JOB_STALE_MINUTES, s.JOB_HOUSEKEEPING_SECONDS, "
        "s.TASKS['default']['BACKEND']"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-5:] == [
        str(ROOT / "var" / "jobs"),
        "7",
        "15",
        "60",
        "django_tasks_db.DatabaseBackend",
    ]


def test_background_job_settings_are_read_from_the_environment(tmp_path: Path) -> None:
    result = _settings_value(
        "s.JOB_RESULTS_DIR, s.JOB_RESULT_DAYS, s.JOB_STALE_MINUTES, s.JOB_HOUSEKEEPING_SECONDS",
        JOB_RESULTS_DIR=str(tmp_path / "results"),
        JOB_RESULT_DAYS="30",
        JOB_STALE_MINUTES="5",
        JOB_HOUSEKEEPING_SECONDS="10",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-4:] == [str(tmp_path / "results"), "30", "5", "10"]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("JOB_RESULT_DAYS", "0", "at least 1"),
        ("JOB_RESULT_DAYS", "seven", "whole number"),
        ("JOB_STALE_MINUTES", "0", "at least 1"),
        ("JOB_STALE_MINUTES", "1.5", "whole number"),
        ("JOB_HOUSEKEEPING_SECONDS", "-5", "at least 1"),
        ("JOB_RESULTS_DIR", "staticfiles/jobs", "overlaps the static files"),
        ("JOB_RESULTS_DIR", "static", "overlaps the static files"),
        ("JOB_RESULTS_DIR", ".", "overlaps the static files"),
    ],
)
def test_bad_background_job_settings_stop_the_start(name: str, value: str, message: str) -> None:
    result = _settings_value("s.JOB_RESULT_DAYS", **{name: value})
    assert result.returncode != 0
    assert name in result.stderr and message in result.stderr


_CONNECTION = (
    "from django.conf import settings as s; d = s.DATABASES['default']; "
    "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
)


@pytest.mark.parametrize(
    ("url", "extra", "expected"),
    [
        # PostgreSQL: persistent connections with a health check (measured, decision 0032).
        ("postgres://app@db.example.org:5432/bruecke", {}, ["60", "True"]),
        (
            "postgres://app@db.example.org:5432/bruecke",
            {"DATABASE_CONN_MAX_AGE": "0", "DATABASE_CONN_HEALTH_CHECKS": "false"},
            ["0", "False"],
        ),
        # SQLite keeps one connection per request, as before.
        ("sqlite:////tmp/bruecke-settings-test.sqlite3", {}, ["0", "False"]),
    ],
)
def test_database_connections_are_kept_on_postgresql(
    url: str, extra: dict[str, str], expected: list[str]
) -> None:
    result = _manage(
        "shell", "-v", "0", "-c", _CONNECTION, environment=_production_env(DATABASE_URL=url, **extra)
    )
    assert result.stdout.split()[-2:] == expected, result.stderr


@pytest.mark.parametrize(
    ("variable", "value"), [("DATABASE_CONN_MAX_AGE", "-1"), ("DATABASE_CONN_HEALTH_CHECKS", "sometimes")]
)
def test_malformed_connection_settings_stop_the_start(variable: str, value: str) -> None:
    environment = _production_env(
        DATABASE_URL="postgres://app@db.example.org:5432/bruecke", **{variable: value}
    )
    result = _manage("check", environment=environment)
    assert result.returncode != 0
    assert variable in result.stderr
