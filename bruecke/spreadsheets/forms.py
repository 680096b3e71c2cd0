"""The forms of the import flow: upload, column mapping, value mapping."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bruecke.core.forms import Form
from bruecke.spreadsheets import selectors
from bruecke.spreadsheets.base import EXTERNAL_ID, Entity
from bruecke.spreadsheets.convert import word
from bruecke.spreadsheets.models import ImportMapping, ImportRun
from bruecke.spreadsheets.registry import get

if TYPE_CHECKING:
    from bruecke.accounts.models import User
    from bruecke.network.models import Organisation

NOT_IN_FILE = gettext_lazy("– not in the file –")


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


class FileForm(Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "An Excel workbook (XLSX) or a CSV file; the first row holds the column names."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_FILE_SIZE:
            raise forms.ValidationError(
                _("The file is too large (at most %(size)s).")
                % {"size": filesizeformat(settings.IMPORT_MAX_FILE_SIZE)}
            )
        return upload


class UploadForm(FileForm):
    """File, entity type, organisation (only when there is a choice) and a saved mapping."""

    entity = forms.ChoiceField(label=gettext_lazy("Data type"))
    organisation = forms.TypedChoiceField(label=gettext_lazy("Organisation"), coerce=int)
    mapping = forms.TypedChoiceField(
        label=gettext_lazy("Saved mapping"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=gettext_lazy(
            "Use the columns and values you saved for an earlier file of the same layout."
        ),
    )

    field_order = ["entity", "organisation", "file", "mapping"]

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        entities = selectors.importable_entities(user)
        _choice_field(self, "entity").choices = [(e.key, e.label) for e in entities]
        organisations: dict[int, Organisation] = {}
        for entity in entities:
            organisations.update({o.pk: o for o in selectors.import_organisations(user, entity)})
        self.organisations = organisations
        if len(organisations) > 1:
            _choice_field(self, "organisation").choices = [(o.pk, o.name) for o in organisations.values()]
        else:
            del self.fields["organisation"]
        self.mappings = {m.pk: m for e in entities for m in selectors.mappings_for_user(user, e)}
        if self.mappings:
            labels = {e.key: e.label for e in entities}
            _choice_field(self, "mapping").choices = [("", _("– none –"))] + [
                (m.pk, f"{m.name} ({labels[m.entity]}{self._organisation_hint(m)})")
                for m in self.mappings.values()
            ]
        else:
            del self.fields["mapping"]

    def _organisation_hint(self, mapping: ImportMapping) -> str:
        if len(self.organisations) < 2:
            return ""
        return f", {self.organisations[mapping.organisation_id].name}"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        entity = get(str(data.get("entity", "")))
        if entity is None:
            return data
        allowed = {o.pk: o for o in selectors.import_organisations(self.user, entity)}
        organisation_id = (
            data.get("organisation") if "organisation" in self.fields else next(iter(allowed), None)
        )
        if organisation_id not in allowed:
            self.add_error(
                "organisation" if "organisation" in self.fields else "entity",
                _("You may not import this data type into this organisation."),
            )
            return data
        data["entity_object"], data["organisation_object"] = entity, allowed[organisation_id]
        mapping = self.mappings.get(data.get("mapping") or 0)
        if mapping is not None and (
            mapping.entity != entity.key or mapping.organisation_id != organisation_id
        ):
            self.add_error("mapping", _("This mapping belongs to another data type or organisation."))
        data["mapping_object"] = mapping
        return data


class SheetForm(Form):
    """Which worksheet of a workbook holds the rows (listed from the workbook's directory)."""

    sheet = forms.ChoiceField(
        label=gettext_lazy("Worksheet"),
        help_text=gettext_lazy(
            "The rows are read from this sheet of the workbook, in the dry run and the import."
        ),
    )

    def __init__(self, *args: Any, sheets: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "sheet").choices = [(name, name) for name in sheets]


def header_choices(run: ImportRun) -> list[tuple[str, str]]:
    return [("", str(NOT_IN_FILE))] + [(h, h) for h in dict.fromkeys(run.headers) if h]


class ColumnsForm(Form):
    """One select per column of the entity: which header of the file feeds it."""

    save_as = forms.CharField(
        label=gettext_lazy("Save this mapping as"),
        required=False,
        max_length=100,
        help_text=gettext_lazy(
            "Optional: a name such as “Employer list 2024”. The next file of the same layout can use it."
        ),
    )

    def __init__(self, *args: Any, run: ImportRun, entity: Entity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entity = entity
        choices = header_choices(run)
        for column in entity.all_columns():
            help_text = column.help or (
                _("Required.") if column.required and column.key != EXTERNAL_ID else ""
            )
            self.fields[f"column_{column.key}"] = forms.ChoiceField(
                label=str(column.label),
                choices=choices,
                required=column.required,
                help_text=str(help_text),
                initial=run.columns.get(column.key, ""),
            )
        self.fields["save_as"].initial = run.mapping.name if run.mapping else ""
        self.order_fields([f"column_{c.key}" for c in entity.all_columns()] + ["save_as"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        used: dict[str, str] = {}
        for column in self.entity.all_columns():
            name = f"column_{column.key}"
            header = data.get(name) or ""
            if not header:
                continue
            if header in used:
                self.add_error(
                    name,
                    _("The column “%(header)s” of the file is already used for “%(other)s”.")
                    % {"header": header, "other": used[header]},
                )
            else:
                used[header] = str(column.label)
        return data

    def columns(self) -> dict[str, str]:
        return {
            c.key: self.cleaned_data[f"column_{c.key}"]
            for c in self.entity.all_columns()
            if self.cleaned_data.get(f"column_{c.key}")
        }


class ValuesForm(Form):
    """For each word of the file that a choice column does not know: the allowed value it
    stands for."""

    def __init__(
        self, *args: Any, run: ImportRun, entity: Entity, unknown: dict[str, list[str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.entity, self.unknown = entity, unknown
        self.groups: list[tuple[str, list[str]]] = []
        for key, words in unknown.items():
            column = entity.column(key)
            choices = [("", _("– choose –"))] + [
                (code, str(label)) for code, label in (column.choices or list)()
            ]
            names = []
            for index, text in enumerate(words):
                name = f"value_{key}_{index}"
                self.fields[name] = forms.ChoiceField(
                    label=_("“%(word)s” in column “%(column)s” means")
                    % {"word": text, "column": run.columns.get(key, key)},
                    choices=choices,
                    required=False,
                )
                names.append(name)
            self.groups.append((str(column.label), names))
        if run.mapping is not None:
            self.fields["save_to_mapping"] = forms.BooleanField(
                label=_("Also save these values in the mapping “%(name)s”") % {"name": run.mapping.name},
                required=False,
                initial=True,
            )

    def values(self) -> dict[str, dict[str, str]]:
        chosen: dict[str, dict[str, str]] = {}
        for key, words in self.unknown.items():
            for index, text in enumerate(words):
                code = self.cleaned_data.get(f"value_{key}_{index}")
                if code:
                    chosen.setdefault(key, {})[word(text)] = code
        return chosen
