"""Stored records as labelled values, for documents that must show everything stored.

Fields are read from the model's own metadata, so a field added later appears in the
data-subject access report without anyone having to remember it. Names of related
records (staff, organisations, catalogue entries) are fetched with one query per model.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

JSON = Any  # a value json.dumps accepts


@dataclass(frozen=True)
class Value:
    name: str  # the field name (key of the machine-readable copy)
    label: str  # the field's label in the active language
    text: str  # what the document shows
    data: JSON  # what the machine-readable copy holds


@dataclass
class Record:
    pk: int
    values: list[Value]
    extra: dict[str, Any] = field(default_factory=dict)


def display_name(obj: models.Model) -> str:
    """Staff by their full name, organisations by their full (legal) name, the rest as usual."""
    from bruecke.accounts.models import User
    from bruecke.network.models import Organisation

    if isinstance(obj, User):
        return obj.get_full_name() or obj.username
    if isinstance(obj, Organisation):
        return obj.name
    return str(obj)


class Names:
    """Display names of related records: asked for first, then fetched per model at once."""

    def __init__(self) -> None:
        self._wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self._names: dict[tuple[type[models.Model], Any], str] = {}

    def want(self, model: type[models.Model], pk: Any) -> None:
        if pk is not None:
            self._wanted[model].add(pk)

    def load(self) -> None:
        for model, pks in self._wanted.items():
            missing = sorted(pk for pk in pks if (model, pk) not in self._names)
            if not missing:
                continue
            for obj in model._default_manager.filter(pk__in=missing):
                self._names[(model, obj.pk)] = display_name(obj)
        self._wanted.clear()

    def name(self, model: type[models.Model], pk: Any) -> str:
        return self._names.get((model, pk), "")


Formatter = Callable[[Any], tuple[str, JSON]]
EMPTY = "–"


def _date_text(value: datetime.date) -> str:
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "d.m.Y H:i")
    return formats.date_format(value, "d.m.Y")


def plain(value: Any) -> tuple[str, JSON]:
    """Text and machine-readable form of a plain field value."""
    if hasattr(value, "code") and hasattr(value, "name"):  # a django-countries Country
        # Checked first: an empty Country equals "" but is no JSON value itself.
        return (str(value.name) or EMPTY), (str(value.code) or None)
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY, value if value is not None else None
    if isinstance(value, bool):
        return (_("yes") if value else _("no")), value
    if isinstance(value, datetime.date):
        return _date_text(value), value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value), list(value)
    if isinstance(value, int | float | str):
        return str(value), value
    return str(value), str(value)


class Reader:
    """Turns instances of one model into records, with names resolved through `names`."""

    def __init__(
        self,
        model: type[models.Model],
        *,
        skip: Iterable[str] = (),
        formatters: dict[str, Formatter] | None = None,
    ) -> None:
        self.model = model
        skipped = {"id", *skip}
        self.fields = [f for f in model._meta.concrete_fields if f.name not in skipped]
        self.many = [f for f in model._meta.many_to_many if f.name not in skipped]
        self.formatters = formatters or {}

    def prepare(
        self, objects: list[models.Model], names: Names, scope: models.QuerySet[Any]
    ) -> dict[str, dict[Any, list[Any]]]:
        """Asks `names` for every related record; returns the many-to-many links per field
        of the records in `scope` (a queryset of their primary keys: a subquery, not a list
        that grows with the records)."""
        for obj in objects:
            for f in self.fields:
                if f.is_relation and f.related_model is not None:
                    names.want(f.related_model, getattr(obj, f.attname))  # type: ignore[arg-type]
        links: dict[str, dict[Any, list[Any]]] = {}
        for f in self.many:
            links[f.name] = self._links(f, scope, names) if objects else {}
        return links

    def _links(
        self, f: models.Field[Any, Any], scope: models.QuerySet[Any], names: Names
    ) -> dict[Any, list[Any]]:
        through = f.remote_field.through  # type: ignore[union-attr]
        source, target = f.m2m_field_name(), f.m2m_reverse_name()  # type: ignore[attr-defined]
        result: dict[Any, list[Any]] = defaultdict(list)
        rows = through._default_manager.filter(**{f"{source}__in": scope}).values_list(source, target)
        for source_pk, target_pk in rows:
            names.want(f.related_model, target_pk)  # type: ignore[arg-type]
            result[source_pk].append(target_pk)
        return result

    def record(
        self,
        obj: models.Model,
        names: Names,
        links: dict[str, dict[Any, list[Any]]],
        withheld: Iterable[str] = (),
    ) -> Record:
        hidden = set(withheld)
        values = []
        for f in self.fields:
            label = str(f.verbose_name)
            if f.name in hidden:
                values.append(Value(f.name, label, _("withheld (see the note above)"), None))
                continue
            values.append(Value(f.name, label, *self._field_value(f, obj, names)))
        for f in self.many:
            related = [names.name(f.related_model, pk) for pk in links.get(f.name, {}).get(obj.pk, [])]  # type: ignore[arg-type]
            values.append(Value(f.name, str(f.verbose_name), ", ".join(related) or EMPTY, related))
        return Record(obj.pk, values)

    def _field_value(self, f: models.Field[Any, Any], obj: models.Model, names: Names) -> tuple[str, JSON]:
        raw = getattr(obj, f.attname)
        if f.name in self.formatters:
            return self.formatters[f.name](raw)
        if f.is_relation and f.related_model is not None:
            name = names.name(f.related_model, raw) if raw is not None else ""  # type: ignore[arg-type]
            return (name or EMPTY), (name or None)
        if isinstance(f, models.FileField):
            return (_("file stored") if raw else EMPTY), bool(raw)
        if f.choices and raw not in (None, "") and isinstance(raw, str | int):
            choices = {str(key): str(text) for key, text in f.flatchoices}
            return choices.get(str(raw), str(raw)), raw
        return plain(raw)
