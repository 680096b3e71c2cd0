"""Columns every entity shares, and references from one entity to another."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bruecke.spreadsheets.base import EXTERNAL_ID, Column, ImportContext, RowInvalid, StrOrPromise
from bruecke.spreadsheets.models import ExternalKey

M = TypeVar("M", bound=models.Model)
# At most this many references are remembered per file (rows of one person tend to follow
# each other; a 100,000-row file must not hold 100,000 records).
RESOLVED_CACHE_SIZE = 2000


def external_id_column() -> Column:
    return Column(
        EXTERNAL_ID,
        gettext_lazy("external id"),
        required=True,
        max_length=200,
        aliases=("id", "nr", "nr.", "lfd. nr.", "lfd nr", "personennummer", "person number", "kennung"),
        help=gettext_lazy(
            "A number that stays the same in every version of your spreadsheet (row or person number). "
            "Importing the same row again changes nothing."
        ),
    )


def reference_column(
    key: str, label: StrOrPromise, entity_label: StrOrPromise, *, required: bool = True
) -> Column:
    """A column naming a record imported before (its external id) or its number in Brücke."""
    return Column(
        key,
        label,
        required=required,
        max_length=200,
        help=_reference_help(entity_label),
    )


def _reference_help_text(entity_label: StrOrPromise) -> str:
    return _("The external id of the %(entity)s from its own import, or its number in Brücke.") % {
        "entity": entity_label
    }


# Lazy: the columns are built once at start-up, the help is read in the user's language.
_reference_help = lazy(_reference_help_text, str)


def resolve(
    ctx: ImportContext,
    *,
    entity: str,
    queryset: models.QuerySet[M],
    text: str,
    column: str,
) -> M:
    """The record of `queryset` (already limited to what the importing user may see) that
    `text` names: an external id of `entity` imported into this organisation, else its
    number in Brücke. Anything else, including records of another organisation, is an
    error on `column` that does not say whether such a record exists elsewhere."""
    resolved: dict[tuple[str, str, str], Any] = ctx.cache.setdefault("resolved", {})
    cache_key = (entity, queryset.model._meta.label, text)
    if cache_key in resolved:
        found = resolved[cache_key]
    else:
        if len(resolved) >= RESOLVED_CACHE_SIZE:
            resolved.clear()  # memory stays flat in a large file; neighbours repeat most
        # One query: the external key as a subquery, or the number.
        keys = ExternalKey.objects.filter(organisation=ctx.organisation, entity=entity, external_id=text)
        condition = Q(pk__in=keys.values("object_id"))
        if text.isdigit() and len(text) < 19:
            condition |= Q(pk=int(text))
        found = queryset.filter(condition).order_by("pk").first()
        resolved[cache_key] = found
    if found is None:
        raise RowInvalid([(column, _("No record with this id or number in your organisation."))])
    return found
