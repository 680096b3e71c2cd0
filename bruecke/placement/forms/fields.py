"""Form fields shared by the placement forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from bruecke.placement.kldb import is_full_code
from bruecke.placement.models import Occupation


class OccupationWidget(forms.TextInput):
    """The code input, and below it a search that lists occupations as one types (htmx,
    `placement:occupation_search`); a pick puts the code into the input. Without
    JavaScript the user types the code, and a link opens the search page in a new tab."""

    template_name = "placement/catalogue/occupation_widget.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> SafeString:
        # The project's templates (not only Django's form templates, which the default
        # form renderer searches).
        return mark_safe(render_to_string(template_name, context))

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["search_url"] = reverse("placement:occupation_search")
        context["widget"]["attrs"].setdefault("id", f"id_{name}")
        context["widget"]["attrs"]["data-picked-text"] = str(_("Chosen:"))
        return context


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
        kwargs.setdefault("widget", OccupationWidget)
        super().__init__(**kwargs)

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
