"""What can go wrong; the commands turn these into a message and a non-zero exit."""

from __future__ import annotations


class BackupError(Exception):
    """The backup or restore was refused or failed; the message says what to do."""


class VerificationError(BackupError):
    """A check found differences; `problems` lists them (technical names only, no data)."""

    def __init__(self, summary: str, problems: list[str]) -> None:
        self.summary = summary
        self.problems = problems
        super().__init__("\n  - ".join([summary, *problems]))


class HalfRestoredError(BackupError):
    """The restore stopped after the database was replaced; the message says what is left."""
