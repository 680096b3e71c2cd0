"""What the audit log and a participant's history show for a record type and a field:
the model's and the field's translated `verbose_name`, never `app_label.model` or a
snake_case field name. Events store the technical names (stable across languages and
renamed labels); the words are chosen when the page is shown.
"""

from __future__ import annotations

import unicodedata

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Events about the whole installation rather than one record (backup and restore, made by
# the operator's commands): no organisation, and every data-protection officer sees them.
BACKUP_RECORD_TYPE = "core.backup"
INSTALLATION_RECORD_TYPES = (BACKUP_RECORD_TYPE,)

# Events that are about no stored record.
RECORD_TYPES_WITHOUT_MODEL: dict[str, Promise] = {
    "accounts.login": _("sign-in"),
    BACKUP_RECORD_TYPE: _("backup of the whole installation"),
}

# Fields every timestamped record has; their automatic names are not words.
COMMON_FIELDS: dict[str, Promise] = {
    "id": _("record number"),
    "created_at": _("created at"),
    "updated_at": _("last changed at"),
}


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def record_type_label(object_type: str) -> str:
    """The record type in the user's language, e.g. "Einwilligung" for participants.consent."""
    model = _model(object_type)
    if model is not None:
        return capfirst(str(model._meta.verbose_name))
    label = RECORD_TYPES_WITHOUT_MODEL.get(object_type)
    return capfirst(str(label if label is not None else _("other record")))


def field_label(object_type: str, name: str) -> str:
    """A changed field in the user's language; `reason:<key>` names the reason from the
    model's `audit_reasons` choices (e.g. why a case was deleted)."""
    model = _model(object_type)
    if name.startswith("reason:"):
        key = name.removeprefix("reason:")
        choices = getattr(model, "audit_reasons", None)
        reason = dict(choices.choices).get(key, key) if choices is not None else key
        return gettext("reason: %(reason)s") % {"reason": reason}
    if name in COMMON_FIELDS:
        return str(COMMON_FIELDS[name])
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            pass
        else:
            return str(getattr(field, "verbose_name", None) or _("other field"))
    return str(_("other field"))


def sort_key(label: str) -> str:
    """Alphabetical order as readers expect it: "Ärztliche …" next to "Arbeit …"."""
    decomposed = unicodedata.normalize("NFKD", label.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def field_labels(object_type: str, names: list[str]) -> list[str]:
    return [field_label(object_type, name) for name in names]
