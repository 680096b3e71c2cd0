"""Entities whose rows are checked by the same form a user fills in on the page: the
same rules, the same messages next to the same field (here: the same column)."""

from __future__ import annotations

import copy
import datetime
from abc import abstractmethod
from collections.abc import Hashable
from typing import Any, ClassVar, TypeVar, cast

from django.db import models
from django.forms import BaseForm
from django.forms.models import model_to_dict

from bruecke.spreadsheets.base import MAPPED, Entity, ImportContext, Value, form_errors

F = TypeVar("F", bound=BaseForm)
_FIELDS = "formbacked:fields"


class _FileFields(dict[str, Any]):
    """Stands in for a form class's `base_fields` while one form is built: Django
    deep-copies `base_fields` for every form instance (half the cost of a row); this
    hands out the fields copied once for the file instead."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return dict(self)


def file_form(ctx: ImportContext, form_class: type[F], shape: Hashable, *args: Any, **kwargs: Any) -> F:
    """An instance of the page's form whose fields are copied from the class once per file
    (and `shape`), not once per row: the same fields, rules and messages, only shared by
    the file's rows. The form's own `__init__` still runs for every row and sets up the
    fields as on the page.

    Safe because the import only validates these forms (never renders them) and the
    forms' `__init__` sets field attributes the same way for every row of the same
    `shape`: pass as `shape` everything `__init__` adjusts the fields by (new record or
    not, questionnaire variant …). Validation itself does not change a field."""
    shared: dict[Hashable, dict[str, Any]] = ctx.cache.setdefault(_FIELDS, {})
    key = (form_class, shape)
    if key not in shared:
        shared[key] = copy.deepcopy(form_class.base_fields)  # type: ignore[attr-defined]
    form: Any = form_class.__new__(form_class)
    form.base_fields = _FileFields(shared[key])  # read by BaseForm.__init__ only
    form.__init__(*args, **kwargs)
    del form.base_fields  # the class's again
    return cast(F, form)


def mapped_columns(ctx: ImportContext) -> set[str]:
    """The column keys the file feeds. A mapped but empty cell clears the field on update;
    a column the file does not have leaves the field as it is."""
    return set(ctx.cache.get(MAPPED, ()))


def form_value(value: Value) -> Any:
    """A converted value as form data (forms read text, dates and lists alike)."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, bool):
        return "on" if value else ""
    if hasattr(value, "__dataclass_fields__"):  # PartialDate
        return _partial_text(value)
    return value


def _partial_text(value: Any) -> str:
    day = f"{value.day:02d}." if value.day else ""
    month = f"{value.month:02d}." if value.month else ""
    return f"{day}{month}{value.year}"


class FormEntity(Entity):
    """`prepare` fills the form (for a new record or the existing one); `save` is left to
    the entity, which passes the valid form to its service."""

    # Column key -> form field name, where they differ.
    field_names: ClassVar[dict[str, str]] = {}

    @abstractmethod
    def form_class(self, existing: models.Model | None) -> type[BaseForm]:
        """The page's form for a new record (existing is None) or for editing one."""

    def form_kwargs(self, ctx: ImportContext, existing: models.Model | None) -> dict[str, Any]:
        return {}

    def initial_data(
        self, ctx: ImportContext, existing: models.Model | None, form: type[BaseForm]
    ) -> dict[str, Any]:
        """The data an unmapped column keeps: the record's current values on update."""
        if existing is None:
            return {}
        data = model_to_dict(existing)
        return {k: ("on" if v is True else "" if v is False or v is None else v) for k, v in data.items()}

    def form_data(
        self, ctx: ImportContext, values: dict[str, Value], existing: models.Model | None
    ) -> dict[str, Any]:
        form = self.form_class(existing)
        data = self.initial_data(ctx, existing, form)
        mapped = mapped_columns(ctx)
        for column in self.columns:
            if column.key in mapped or (existing is None and values.get(column.key) is not None):
                data[self.field_names.get(column.key, column.key)] = form_value(values.get(column.key))
        if getattr(existing, "version", None) is not None:
            data["version"] = existing.version  # type: ignore[union-attr]
        return data

    def prepare(
        self, ctx: ImportContext, values: dict[str, Value], existing: models.Model | None
    ) -> BaseForm:
        kwargs = self.form_kwargs(ctx, existing)
        if existing is not None and "instance" not in kwargs:
            kwargs["instance"] = existing
        form_class = self.form_class(existing)
        data = self.form_data(ctx, values, existing)
        form = file_form(ctx, form_class, existing is None, data=data, **kwargs)
        if not form.is_valid():
            fields_to_columns = {field: column for column, field in self.field_names.items()}
            raise form_errors(form, fields_to_columns)
        return form
