"""`manage.py backup` and `manage.py restore`: a real round trip (decision 0033).

Each test runs the commands as operators do, in subprocesses against databases of its
own: on the SQLite run, temporary database files; on the PostgreSQL run (DATABASE_URL),
databases created and dropped here on the same server, with real pg_dump/pg_restore.
The source is migrated and seeded with the demo (encrypted notes, severities, second
factor secrets, two uploaded scans) once per module; every test restores into a fresh,
empty target.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from bruecke.accounts.models import User
from tests.manage_process import run_manage

ROOT = Path(__file__).resolve().parent.parent
KEY = base64.b64encode(b"backup-test-key-0123456789abcdef").decode()
OTHER_KEY = base64.b64encode(b"another-test-key-0123456789abcde").decode()
KEYS = f"k1:{KEY}"
POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
JOB_RESULT = b"%PDF-1.4 a finished export\n"
# Prints the number of contact notes and a digest of them as the ORM decrypts them.
READ_NOTES = (
    "import hashlib; from bruecke.cases.models import Contact; "
    "notes = sorted((c.pk, c.note) for c in Contact.objects.all() if c.note); "
    "print(len(notes), hashlib.sha256(repr(notes).encode()).hexdigest())"
)


def _server() -> dict[str, str]:
    database = settings.DATABASES["default"]
    return {k: str(database.get(k) or "") for k in ("HOST", "PORT", "USER", "PASSWORD")}


def _admin_sql(statement: str) -> None:
    """CREATE/DROP DATABASE through the server's maintenance database (no transaction)."""
    import psycopg

    server = _server()
    with psycopg.connect(
        host=server["HOST"] or None,
        port=server["PORT"] or None,
        user=server["USER"] or None,
        password=server["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(statement)


@dataclass
class Site:
    """One installation: a database, MEDIA_ROOT and JOB_RESULTS_DIR."""

    url: str
    media: Path
    jobs: Path
    sqlite_path: Path | None
    pg_name: str | None

    def manage(self, *args: str, keys: str = KEYS) -> subprocess.CompletedProcess[str]:
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.backup_settings",
            "BRUECKE_ENV": "test",
            "DATABASE_URL": self.url,
            "MEDIA_ROOT": str(self.media),
            "BRUECKE_TEST_JOB_RESULTS_DIR": str(self.jobs),
            "FIELD_ENCRYPTION_KEYS": keys,
        }
        return run_manage(*args, environment=environment, timeout=300)

    def query(self, sql: str) -> list[tuple[object, ...]]:
        if self.sqlite_path is not None:
            if not self.sqlite_path.exists():
                return []
            with sqlite3.connect(self.sqlite_path) as conn:
                return conn.execute(sql).fetchall()
        import psycopg

        server = _server()
        with psycopg.connect(
            host=server["HOST"] or None,
            port=server["PORT"] or None,
            user=server["USER"] or None,
            password=server["PASSWORD"] or None,
            dbname=self.pg_name,
        ) as conn:
            return conn.execute(sql).fetchall()

    def tables(self) -> set[str]:
        if self.sqlite_path is not None:
            rows = self.query("SELECT name FROM sqlite_master WHERE type = 'table'")
        else:
            rows = self.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {str(row[0]) for row in rows if not str(row[0]).startswith("sqlite_")}

    def count(self, table: str) -> int:
        return int(str(self.query(f'SELECT COUNT(*) FROM "{table}"')[0][0]))  # noqa: S608

    def notes(self) -> str:
        result = self.manage("shell", "--no-imports", "-v", "0", "-c", READ_NOTES)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]


def _new_site(directory: Path) -> Iterator[Site]:
    directory.mkdir(parents=True)
    if not POSTGRES:
        path = directory / "db.sqlite3"
        yield Site(f"sqlite:///{path}", directory / "media", directory / "jobs", path, None)
        return
    name = f"bruecke_backup_{uuid.uuid4().hex[:12]}"
    _admin_sql(f"CREATE DATABASE {name}")
    server = _server()
    credentials = quote(server["USER"]) + (f":{quote(server['PASSWORD'])}" if server["PASSWORD"] else "")
    url = f"postgres://{credentials}@{server['HOST'] or 'localhost'}:{server['PORT'] or 5432}/{name}"
    try:
        yield Site(url, directory / "media", directory / "jobs", None, name)
    finally:
        _admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    return result.stdout


def _refused(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0, result.stdout
    return result.stderr


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A seeded installation with one finished job result."""
    for site in _new_site(tmp_path_factory.mktemp("backup") / "source"):
        _ok(site.manage("migrate", "--no-input", "-v", "0"))
        _ok(site.manage("seed_demo"))
        (site.jobs / "7").mkdir(parents=True)
        (site.jobs / "7" / "export.pdf").write_bytes(JOB_RESULT)
        yield site


@pytest.fixture(scope="module")
def backup(source: Site, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = _ok(source.manage("backup", "--to", str(tmp_path_factory.mktemp("backups") / "nightly")))
    return Path(out.strip().splitlines()[-1].removeprefix("Backup written: "))


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Site]:
    yield from _new_site(tmp_path / "target")


@pytest.fixture
def copy_of(backup: Path, tmp_path: Path) -> Path:
    """A copy of the backup that a test may change."""
    copy = tmp_path / "copy" / backup.name
    shutil.copytree(backup, copy)
    return copy


def _manifest(path: Path) -> dict[str, Any]:
    return dict(json.loads((path / "manifest.json").read_text(encoding="utf-8")))


def test_a_backup_is_private_describes_itself_and_holds_no_key(source: Site, backup: Path) -> None:
    assert stat.S_IMODE(backup.stat().st_mode) == 0o700
    for path in backup.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path
    manifest = _manifest(backup)
    assert manifest["database"]["vendor"] == ("postgresql" if POSTGRES else "sqlite")
    counts = manifest["row_counts"]
    assert counts["participants_participant"] == source.count("participants_participant") > 0
    assert counts["cases_contact"] == source.count("cases_contact") > 0
    assert "0001_initial" in manifest["migrations"]["core"]
    assert manifest["encryption_key_ids"] == ["k1"]
    file_sets = manifest["file_sets"]
    assert file_sets["media"]["count"] == len([p for p in source.media.rglob("*") if p.is_file()]) > 0
    assert file_sets["job_results"]["files"] == [
        {
            "path": "7/export.pdf",
            "size": len(JOB_RESULT),
            "sha256": hashlib.sha256(JOB_RESULT).hexdigest(),
        }
    ]
    for path in backup.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), f"{path} holds the encryption key"
    assert not list(backup.parent.glob(".*partial")), "the unfinished directory is renamed when complete"
    # The live audit log records the backup (after the snapshot: the backup does not hold it).
    recorded = "SELECT object_type, object_id FROM core_auditevent WHERE action = 'backup'"
    assert source.query(recorded) == [("core.backup", backup.name)]
    assert source.count("core_auditevent") == counts["core_auditevent"] + 1


def test_connection_settings_reach_pg_dump_as_libpq_environment_variables() -> None:
    from bruecke.core.backup.errors import BackupError
    from bruecke.core.backup.postgres import libpq_environment

    database = {
        "NAME": "bruecke",
        "USER": "bruecke_app",
        "PASSWORD": "s3cret",
        "HOST": "db.internal",
        "PORT": 5433,
        "OPTIONS": {"sslmode": "verify-full", "pool": False},
    }
    environment = libpq_environment(database)
    assert environment["PGPASSWORD"] == "s3cret"
    assert environment["PGHOST"] == "db.internal" and environment["PGPORT"] == "5433"
    assert environment["PGSSLMODE"] == "verify-full"
    with pytest.raises(BackupError, match="'hostaddr' cannot be passed"):
        libpq_environment({**database, "OPTIONS": {"hostaddr": "10.0.0.1"}})


def test_the_round_trip_restores_everything_and_says_it_was_verified(
    source: Site, backup: Path, target: Site
) -> None:
    out = _ok(target.manage("restore", "--from", str(backup)))
    assert "Restore complete and verified." in out
    assert "encrypted values decrypted" in out
    assert target.tables() == source.tables()
    for table in ("participants_participant", "cases_contact", "cases_assessmentitem", "cases_casedocument"):
        assert target.count(table) == source.count(table), table
    # The restored audit log has the backup's events and then the restore.
    assert target.count("core_auditevent") == _manifest(backup)["row_counts"]["core_auditevent"] + 1
    last = "SELECT action, object_type, object_id FROM core_auditevent ORDER BY id DESC LIMIT 1"
    assert target.query(last) == [("restore", "core.backup", backup.name)]
    for relative in ("media", "jobs"):
        original = {
            p.relative_to(getattr(source, relative)): p.read_bytes()
            for p in getattr(source, relative).rglob("*")
            if p.is_file()
        }
        restored = {
            p.relative_to(getattr(target, relative)): p.read_bytes()
            for p in getattr(target, relative).rglob("*")
            if p.is_file()
        }
        assert restored == original and original, relative
    notes = target.notes()
    assert notes == source.notes()
    assert int(notes.split()[0]) > 0, "the demo has encrypted contact notes"


def test_a_changed_file_in_the_backup_is_refused_before_anything_changes(copy_of: Path, target: Site) -> None:
    scan = next(p for p in (copy_of / "media").rglob("*") if p.is_file())
    scan.write_bytes(scan.read_bytes() + b"changed")
    error = _refused(target.manage("restore", "--from", str(copy_of)))
    assert "The backup is damaged or was changed; nothing was restored." in error
    assert "differs from the manifest (checksum)" in error
    assert target.tables() == set()
    assert not target.media.exists() or not any(target.media.rglob("*"))


def test_a_damaged_database_file_is_refused(copy_of: Path, target: Site) -> None:
    database = next(copy_of.glob("database.*"))
    with database.open("r+b") as handle:
        handle.seek(database.stat().st_size // 2)
        handle.write(b"\x00garbage\x00")
    error = _refused(target.manage("restore", "--from", str(copy_of)))
    assert "database: database." in error and "(checksum)" in error
    assert target.tables() == set()


def test_rows_that_differ_from_the_manifest_fail_the_check_after_restoring(
    copy_of: Path, target: Site
) -> None:
    manifest = _manifest(copy_of)
    manifest["row_counts"]["cases_contact"] += 1
    (copy_of / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    error = _refused(target.manage("restore", "--from", str(copy_of)))
    assert "RESTORED, BUT THE CHECK FAILED" in error
    assert "table cases_contact:" in error and "rows, the backup has" in error


def test_a_wrong_key_with_the_right_id_is_a_clear_error(backup: Path, target: Site) -> None:
    error = _refused(target.manage("restore", "--from", str(backup), keys=f"k1:{OTHER_KEY}"))
    assert "RESTORED, BUT UNREADABLE" in error
    assert "wrong key" in error
    assert "cases.Contact.note: a value under key 'k1' does not decrypt" in error
    assert KEY not in error and OTHER_KEY not in error


def test_a_missing_key_is_refused_before_anything_changes(backup: Path, target: Site) -> None:
    error = _refused(target.manage("restore", "--from", str(backup), keys=f"k2:{OTHER_KEY}"))
    assert "need the key(s) k1, which FIELD_ENCRYPTION_KEYS does not hold" in error
    assert target.tables() == set()


def test_a_database_in_use_is_replaced_only_with_force(backup: Path, target: Site) -> None:
    _ok(target.manage("restore", "--from", str(backup)))
    stray = target.media / "stray.pdf"
    stray.write_bytes(b"not in the backup")
    error = _refused(target.manage("restore", "--from", str(backup)))
    assert "The target is not empty" in error and "accounts_user" in error
    assert "--force" in error
    assert stray.exists(), "nothing changed without --force"
    out = _ok(target.manage("restore", "--from", str(backup), "--force"))
    assert "Restore complete and verified." in out
    assert not stray.exists(), "files of the replaced state are removed"


def test_a_backup_from_a_newer_version_is_refused(copy_of: Path, target: Site) -> None:
    manifest = _manifest(copy_of)
    manifest["migrations"]["core"].append("9999_from_the_future")
    (copy_of / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    error = _refused(target.manage("restore", "--from", str(copy_of)))
    assert "made by a newer version of Brücke" in error
    assert "core.9999_from_the_future" in error
    assert target.tables() == set()


def test_a_directory_that_is_not_a_backup_is_refused(tmp_path: Path, target: Site) -> None:
    error = _refused(target.manage("restore", "--from", str(tmp_path)))
    assert "is not a Brücke backup: it has no manifest.json" in error


def test_every_data_protection_officer_sees_backups_and_restores_in_the_audit_log(
    login: Callable[[str], Client], persona: Callable[[str], User]
) -> None:
    from bruecke.core.audit import audit_record
    from bruecke.core.models import AuditAction
    from bruecke.core.selectors import audit_events_visible_to

    for action in (AuditAction.BACKUP, AuditAction.RESTORE):
        audit_record(
            actor=None, action=action, object_type="core.backup", object_id="bruecke-20261206T023000Z"
        )
    page = login("dpo").get(reverse("core:audit_log")).content.decode()
    assert "Sicherung erstellt" in page and "aus einer Sicherung wiederhergestellt" in page
    assert "Sicherung der gesamten Installation" in page
    assert audit_events_visible_to(persona("dpo")).filter(object_type="core.backup").count() == 2
    assert not audit_events_visible_to(persona("cm_a")).filter(object_type="core.backup").exists()


def test_an_older_backup_is_restored_and_then_migrated(tmp_path: Path, target: Site) -> None:
    """A backup made before an upgrade: restore says to migrate and leaves the audit log
    alone (its schema is older than today's events); migrate then completes it."""
    for older in _new_site(tmp_path / "older"):
        _ok(older.manage("migrate", "core", "0007", "--no-input", "-v", "0"))
        out = _ok(older.manage("backup", "--to", str(tmp_path / "older-backups")))
        path = out.strip().splitlines()[-1].removeprefix("Backup written: ")
        assert max(_manifest(Path(path))["migrations"]["core"]).startswith("0007_")
    out = _ok(target.manage("restore", "--from", path))
    assert "run `manage.py migrate` next. The restore is not in the audit log." in out
    assert "Restore complete and verified." in out
    assert "cases_contact" not in target.tables()
    _ok(target.manage("migrate", "--no-input", "-v", "0"))
    assert "cases_contact" in target.tables()


@pytest.mark.skipif(not POSTGRES, reason="SQLite shows no other sessions; PostgreSQL run only")
def test_a_running_application_is_refused_on_postgresql(backup: Path, target: Site) -> None:
    import psycopg

    server = _server()
    with psycopg.connect(
        host=server["HOST"] or None,
        port=server["PORT"] or None,
        user=server["USER"] or None,
        password=server["PASSWORD"] or None,
        dbname=target.pg_name,
    ):
        error = _refused(target.manage("restore", "--from", str(backup)))
    assert "1 other connection(s) to the database are open: stop the application" in error
    assert target.tables() == set()
