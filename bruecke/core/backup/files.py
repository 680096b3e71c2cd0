"""Directory trees in and out of a backup, checksummed while they are copied.

Everything a backup writes is readable by its owner only (files 0600, directories
0700): the uploads are scans of residence permits and certificates.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from bruecke.core.backup.errors import BackupError
from bruecke.core.backup.manifest import FileEntry, FileSet

CHUNK = 1 << 20
FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


def private_directory(path: Path) -> None:
    """Creates `path` (and missing parents) and makes it private."""
    path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    path.chmod(DIRECTORY_MODE)


def sha256_of(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def copy_hashed(source: Path, target: Path) -> tuple[int, str]:
    """Copies one file to a new private file; returns its size and SHA-256 as copied."""
    digest = hashlib.sha256()
    size = 0
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.fchmod(descriptor, FILE_MODE)  # an existing target keeps its old mode otherwise
    with source.open("rb") as reader, os.fdopen(descriptor, "wb") as writer:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            writer.write(chunk)
            size += len(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    return size, digest.hexdigest()


def walk_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Regular files below `root` as (relative POSIX path, path), sorted.

    Symbolic links are not followed: the application never creates them, and following
    one could copy a file from anywhere on the server into the backup.
    """
    if not root.is_dir():
        return
    for directory, subdirectories, names in os.walk(root):
        subdirectories.sort()
        for name in sorted(names):
            path = Path(directory) / name
            if path.is_symlink() or not path.is_file():
                continue
            yield path.relative_to(root).as_posix(), path


def has_files(root: Path | None) -> bool:
    return root is not None and next(walk_files(root), None) is not None


def copy_tree_into_backup(source: Path, target: Path, directory: str) -> FileSet:
    """Copies the files below `source` to `target`, recording size and checksum of each."""
    private_directory(target)
    entries: list[FileEntry] = []
    for relative, path in walk_files(source):
        destination = target / relative
        private_directory(destination.parent)
        size, sha256 = copy_hashed(path, destination)
        entries.append({"path": relative, "size": size, "sha256": sha256})
    return {
        "directory": directory,
        "count": len(entries),
        "bytes": sum(entry["size"] for entry in entries),
        "files": entries,
    }


def _safe_relative(relative: str) -> PurePosixPath:
    """A manifest path that stays inside its tree (a changed manifest must not write elsewhere)."""
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"The manifest names a file outside its directory: {relative!r}.")
    return path


def tree_problems(root: Path, file_set: FileSet, *, where: str, extra_allowed: bool) -> list[str]:
    """Differences between the files below `root` and the manifest's list (sizes, checksums)."""
    problems: list[str] = []
    expected = {str(_safe_relative(entry["path"])): entry for entry in file_set["files"]}
    for relative, entry in expected.items():
        path = root / relative
        if not path.is_file() or path.is_symlink():
            problems.append(f"{where}: {relative} is missing")
            continue
        size, sha256 = sha256_of(path)
        if size != entry["size"] or sha256 != entry["sha256"]:
            problems.append(f"{where}: {relative} differs from the manifest (checksum)")
    if not extra_allowed:
        problems.extend(
            f"{where}: {relative} is not in the backup"
            for relative, _ in walk_files(root)
            if relative not in expected
        )
    return problems


def restore_tree(source: Path, target: Path, file_set: FileSet) -> list[str]:
    """Makes `target` hold exactly the backup's files; returns the paths of files removed.

    Each file is written beside its final name and renamed over it, so a file is either
    the old or the new one, never half of each. Files the backup does not have are
    removed (they belong to the state being replaced).
    """
    private_directory(target)
    expected = set()
    for entry in file_set["files"]:
        relative = _safe_relative(entry["path"])
        expected.add(str(relative))
        destination = target / relative
        private_directory(destination.parent)
        partial = destination.with_name(f".{destination.name}.restoring")
        copy_hashed(source / relative, partial)
        os.replace(partial, destination)
    removed = [name for name, _ in walk_files(target) if name not in expected]
    for name in removed:
        (target / name).unlink()
    return removed
