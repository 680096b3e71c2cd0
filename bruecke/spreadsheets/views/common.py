"""Shared by the import pages: who may import, the run of the URL, the file's table."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from bruecke.accounts.models import User
from bruecke.core.crypto import DecryptionError
from bruecke.spreadsheets import selectors, services
from bruecke.spreadsheets.base import Entity
from bruecke.spreadsheets.models import ImportRun
from bruecke.spreadsheets.reading import SourceTable, UnreadableFile, read_table

STEPS = ("upload", "columns", "values", "check", "import")


def importer(request: HttpRequest) -> User:
    """The user, if they may import at least one data type (else 404)."""
    if not selectors.may_import(request.user):
        raise Http404
    assert isinstance(request.user, User)
    return request.user


def run_of(request: HttpRequest, pk: Any) -> tuple[User, ImportRun, Entity]:
    user = importer(request)
    run = selectors.run_get_for_user(user, pk)
    return user, run, selectors.run_entity(run)


def stored_table(run: ImportRun) -> SourceTable | None:
    """The uploaded file as a table, or None once it is deleted or unreadable."""
    try:
        return read_table(services.read_stored_file(run), run.file_name, sheet=run.sheet)
    except (FileNotFoundError, DecryptionError, UnreadableFile):
        return None
