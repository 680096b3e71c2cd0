"""The quick contact form on the case page."""

from __future__ import annotations

import functools
from typing import Any

from django import forms
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bruecke.cases.models import Case, Contact, ContactTopic
from bruecke.core.forms import ModelForm
from bruecke.core.submission import SubmitOnceMixin
from bruecke.network.forms import DateInput
from bruecke.network.models import MobileSite

# Rendered selects of fixed choices, by language, name, value and attributes.
_RENDERED: dict[tuple[object, ...], SafeString] = {}
_RENDERED_MAX = 256


class Select(forms.Select):
    """A select whose choices are fixed in the code (channel, interpreter, language): its
    HTML is rendered once per process for each language, name, value and attributes and
    reused. Django renders every option through two templates, and these 25 options were
    a large part of the case page's time. The name keeps the widget type "select" (the
    KERN classes follow it)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        key = (get_language(), name, str(self.format_value(value)), tuple(sorted(map(str, final.items()))))
        html = _RENDERED.get(key)
        if html is None:
            html = super().render(name, value, attrs, renderer)
            if len(_RENDERED) < _RENDERED_MAX:
                _RENDERED[key] = html
        return html


class ContactForm(SubmitOnceMixin, ModelForm):
    """The quick form on the case page: date, duration, channel and topics are enough."""

    topics = forms.ModelMultipleChoiceField(
        label=_("topics"),
        queryset=ContactTopic.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple(),
    )

    class Meta:
        model = Contact
        fields = [
            "date",
            "duration_minutes",
            "channel",
            "site",
            "interpreter",
            "interpreter_language",
            "topics",
            "note",
            "confidential",
        ]
        widgets = {
            "date": DateInput(),
            "note": forms.Textarea(attrs={"rows": 4}),
            "channel": Select(),
            "interpreter": Select(),
            "interpreter_language": Select(),
        }

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.case = case
        fields: dict[str, Any] = self.fields
        fields["site"].queryset = MobileSite.objects.filter(
            network_id=case.organisation.network_id, is_active=True
        )
        fields["duration_minutes"].initial = 30
        for name in ("site", "topics"):
            _choices_once(fields[name])


def _choices_once(field: forms.ModelChoiceField) -> None:  # type: ignore[type-arg]
    """Reads the field's choices with one ordinary query. A model choice field iterates its
    queryset again for every rendering of its widget, on PostgreSQL through a server-side
    cursor (DECLARE, FETCH, CLOSE): that was most of the case page's form time. The same
    options in the same order; validation still checks the submitted keys against the
    queryset. Read only when the form is rendered: a form that is only validated (the
    spreadsheet import builds one per row) reads nothing."""

    @functools.cache
    def choices() -> list[tuple[Any, Any]]:
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        objects = list(field.queryset) if field.queryset is not None else []
        return [*empty, *((obj.pk, field.label_from_instance(obj)) for obj in objects)]

    field.choices = choices
