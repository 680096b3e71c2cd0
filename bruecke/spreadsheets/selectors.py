"""Reads of the import flow that depend on who asks: the entity types a user may import,
into which organisations, the user's own runs, saved mappings and row results."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from bruecke.core import access
from bruecke.spreadsheets.base import Entity
from bruecke.spreadsheets.models import ImportMapping, ImportRow, ImportRun, RowOutcome
from bruecke.spreadsheets.registry import all_entities, get

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from bruecke.accounts.models import User
    from bruecke.network.models import Organisation


def importable_entities(user: User | AnonymousUser) -> list[Entity]:
    """The entity types `user` may import into at least one organisation."""
    return [e for e in all_entities() if access.has_perm(user, e.permission)]


def may_import(user: User | AnonymousUser) -> bool:
    return bool(importable_entities(user))


def import_organisations(user: User | AnonymousUser, entity: Entity) -> list[Organisation]:
    return access.import_organisations(user, entity.permission)


def runs_visible_to(user: User | AnonymousUser) -> QuerySet[ImportRun]:
    """The user's own runs they may still see, newest first (the list and every run page)."""
    return ImportRun.objects.filter(access.import_run_filter(user)).select_related("organisation", "job")


def run_get_for_user(user: User | AnonymousUser, pk: Any) -> ImportRun:
    """The run, or 404 for a run of someone else, of an organisation the user left, or of
    an entity type the user may no longer import."""
    return access.get_or_404(runs_visible_to(user), pk=pk)


def run_entity(run: ImportRun) -> Entity:
    entity = get(run.entity)
    if entity is None:  # the run filter admits registered entity types only
        raise LookupError(run.entity)
    return entity


def mappings_for(organisation: Organisation | int, entity: str) -> QuerySet[ImportMapping]:
    return ImportMapping.objects.filter(organisation=organisation, entity=entity).order_by("name")


def mappings_for_user(user: User | AnonymousUser, entity: Entity) -> QuerySet[ImportMapping]:
    """Saved mappings of every organisation the user may import `entity` into."""
    ids = [o.pk for o in import_organisations(user, entity)]
    return ImportMapping.objects.filter(organisation_id__in=ids, entity=entity.key).order_by("name")


def run_rows(run: ImportRun, *, only_errors: bool = False) -> QuerySet[ImportRow]:
    rows = ImportRow.objects.filter(run=run).order_by("row_number")
    return rows.filter(outcome=RowOutcome.ERROR) if only_errors else rows


def run_written_rows(run: ImportRun) -> QuerySet[ImportRow]:
    """The rows an import created, updated or left unchanged."""
    return ImportRow.objects.filter(run=run).exclude(outcome=RowOutcome.ERROR).order_by("row_number")
