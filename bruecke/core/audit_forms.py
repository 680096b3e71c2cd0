from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bruecke.accounts.models import User
from bruecke.core.audit_labels import RECORD_TYPES_WITHOUT_MODEL, record_type_label, sort_key
from bruecke.core.forms import Form
from bruecke.core.models import AuditAction
from bruecke.core.selectors import AuditFilter, audit_staff
from bruecke.network.forms import DateInput


def object_type_choices() -> list[tuple[str, Any]]:
    """Every record type the log can hold, by its translated name (as the table shows it)."""
    types = [m._meta.label_lower for m in apps.get_models() if m.__module__.startswith("bruecke.")]
    types += list(RECORD_TYPES_WITHOUT_MODEL)
    choices = [(t, record_type_label(t)) for t in types if t != "core.auditevent"]
    return [("", _("all")), *sorted(choices, key=lambda c: sort_key(c[1]))]


class AuditFilterForm(Form):
    actor = forms.ModelChoiceField(
        label=_("Staff member"), queryset=User.objects.none(), required=False, empty_label=_("all")
    )
    action = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.ChoiceField(label=_("Kind of record"), required=False)
    object_id = forms.CharField(label=_("Record number"), required=False, max_length=64)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_until = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actor = self.fields["actor"]
        assert isinstance(actor, forms.ModelChoiceField)
        actor.queryset = audit_staff(user)
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", _("all")), *AuditAction.choices]
        object_type = self.fields["object_type"]
        assert isinstance(object_type, forms.ChoiceField)
        object_type.choices = object_type_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_until")
        if start and end and end < start:
            self.add_error("date_until", ValidationError(_("The end must not be before the start.")))
        return data

    def to_filter(self) -> AuditFilter:
        data = self.cleaned_data
        actor = data.get("actor")
        return AuditFilter(
            actor_id=actor.pk if actor else None,
            action=data.get("action") or "",
            object_type=data.get("object_type") or "",
            object_id=(data.get("object_id") or "").strip(),
            date_from=data.get("date_from"),
            date_until=data.get("date_until"),
        )
