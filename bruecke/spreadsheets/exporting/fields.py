"""Columns made from model fields: the field's translated verbose name as the heading,
the choice's label instead of its code, a country's name, a person's name."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.utils.functional import Promise

from bruecke.reporting.tables import Cell
from bruecke.spreadsheets.exporting.registry import Column, ExportContext, UserCheck, everyone


def _follow(row: Any, path: str) -> tuple[Any, str]:
    """The object that holds the last field of the dotted `path`, and that field's name."""
    *hops, name = path.split(".")
    for hop in hops:
        row = getattr(row, hop, None)
        if row is None:
            return None, name
    return row, name


def plain(value: Any) -> Cell | bool:
    """A stored value as a spreadsheet cell: dates, numbers and booleans as they are,
    anything else as its text (a person: the full name; a country: its name)."""
    if value is None or isinstance(value, (bool, int, float, Decimal, datetime.date, str)):
        if isinstance(value, datetime.datetime):
            return value.date()
        return value
    if hasattr(value, "get_full_name"):
        return value.get_full_name() or value.get_username()
    if hasattr(value, "code") and hasattr(value, "name"):  # a country
        return str(value.name) if value.code else None
    return str(value)


def field_label(model: type[Model], path: str) -> str | Promise:
    *hops, name = path.split(".")
    for hop in hops:
        model = model._meta.get_field(hop).related_model  # type: ignore[assignment]
    return model._meta.get_field(name).verbose_name  # type: ignore[union-attr]


def _country_name(country: Any, context: ExportContext) -> Cell | bool:
    """A country's name in the export's language, looked up once per country and export."""
    code = getattr(country, "code", "") or ""
    if not code:
        return None
    names: dict[str, str] = context.memo.setdefault("countries", {})
    if code not in names:
        names[code] = str(country.name)
    return names[code]


def _field(model: type[Model], path: str) -> Any:
    *hops, name = path.split(".")
    for hop in hops:
        model = model._meta.get_field(hop).related_model  # type: ignore[assignment]
    return model._meta.get_field(name)


def model_column(
    model: type[Model],
    path: str,
    *,
    label: str | Promise | None = None,
    visible: UserCheck = everyone,
) -> Column:
    """A column of the field at `path`. A choice's label comes from a dictionary made once
    per export, in the export's language (Django's `get_FOO_display` walks every choice
    for every row: far too slow for a million rows)."""
    field = _field(model, path)
    is_country = hasattr(field, "countries")
    with_choices = bool(getattr(field, "choices", None)) and not is_country

    def value(row: Any, context: ExportContext) -> Cell | bool:
        holder, name = _follow(row, path)
        if holder is None:
            return None
        stored = getattr(holder, name, None)
        if is_country:
            return _country_name(stored, context)
        if not with_choices:
            return plain(stored)
        key = f"choices:{path}"
        if key not in context.memo:
            context.memo[key] = {k: str(v) for k, v in field.flatchoices}
        labels: dict[Any, str] = context.memo[key]
        return labels.get(stored, plain(stored)) if stored not in (None, "") else None

    return Column(key=path, label=label or field_label(model, path), value=value, visible=visible)


def number_column(label: str | Promise, path: str = "pk") -> Column:
    """A record's number in Brücke (the key an import refers to)."""

    def value(row: Any, context: ExportContext) -> Cell | bool:
        holder, name = _follow(row, path)
        return getattr(holder, name, None) if holder is not None else None

    return Column(key=f"{path}#", label=label, value=value)
