"""The manifest: what a backup holds, so that a restore can check every part of it.

It names tables, migrations, key ids and file paths (random names chosen at upload),
never personal values and never key material.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any, TypedDict, cast

from django.conf import settings

from bruecke.core.backup.errors import BackupError

FORMAT = "bruecke-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
# The parts of a backup that are directory trees, and the setting each one restores to.
FILE_SETS = {"media": "MEDIA_ROOT", "job_results": "JOB_RESULTS_DIR"}


class FileEntry(TypedDict):
    path: str  # relative, with "/" separators
    size: int
    sha256: str


class FileSet(TypedDict):
    directory: str  # inside the backup
    count: int
    bytes: int
    files: list[FileEntry]


class DatabaseEntry(TypedDict):
    vendor: str  # "postgresql" or "sqlite"
    file: str
    size: int
    sha256: str


class Manifest(TypedDict):
    format: str
    format_version: int
    bruecke_version: str
    created_at: str  # ISO 8601, UTC
    database: DatabaseEntry
    migrations: dict[str, list[str]]  # app label -> applied migration names
    row_counts: dict[str, int]  # table -> rows
    # Ids of the keys the stored encrypted values need (the keys themselves are not here).
    encryption_key_ids: list[str]
    file_sets: dict[str, FileSet]


def bruecke_version() -> str:
    try:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def write_manifest(directory: Path, manifest: Manifest) -> None:
    path = directory / MANIFEST_NAME
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2, sort_keys=True, ensure_ascii=False)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())


def read_manifest(directory: Path) -> Manifest:
    path = directory / MANIFEST_NAME
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{directory} is not a Brücke backup: it has no {MANIFEST_NAME}.") from None
    except (OSError, ValueError) as error:
        raise BackupError(f"{path} cannot be read: {error}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{path} is not the manifest of a Brücke backup.")
    if data.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} has backup format {data.get('format_version')!r}; this version of Brücke "
            f"reads format {FORMAT_VERSION}."
        )
    missing = sorted(key for key in Manifest.__required_keys__ if key not in data)
    if missing:
        raise BackupError(f"{path} is incomplete (missing: {', '.join(missing)}).")
    return cast(Manifest, data)
