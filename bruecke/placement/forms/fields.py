"""Form fields shared by the placement forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bruecke.placement.kldb import is_full_code
from bruecke.placement.models import Occupation


class OccupationField(forms.CharField):
    """A 5-digit KldB 2010 code typed or picked from the search; it must exist in the
    catalogue. Cleans to the `Occupation`."""

    default_error_messages = {
        "format": _("A KldB 2010 code has exactly 5 digits, for example 29302."),
        "unknown": _(
            "The code %(code)s is not in the occupation catalogue. Please search for the occupation."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 5)
        kwargs.setdefault("label", _("Occupation (KldB 2010 code)"))
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def prepare_value(self, value: Any) -> Any:
        return value.code if isinstance(value, Occupation) else value

    def clean(self, value: Any) -> Occupation | None:
        code = super().clean(value)
        if not code:
            return None
        code = code.strip()
        if not is_full_code(code):
            raise forms.ValidationError(self.error_messages["format"], code="format")
        occupation = Occupation.objects.filter(code=code).first()
        if occupation is None:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown", params={"code": code})
        return occupation
