"""The form for an organisation's note on one office (shown in the answer's next step)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bruecke.core.forms import Form
from bruecke.rules.models import CONTACT_MAX, DOCUMENTS_MAX, DURATION_MAX, AuthorityNote


class AuthorityNoteForm(Form):
    contact = forms.CharField(
        label=_("Address or contact"),
        help_text=_("E.g. address, opening hours, e-mail of the team responsible for work permissions."),
        max_length=CONTACT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    documents = forms.CharField(
        label=_("Documents to bring"),
        help_text=_("Empty: the general list is shown."),
        max_length=DOCUMENTS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    duration = forms.CharField(
        label=_("Usual duration"),
        help_text=_("E.g. “about 4 weeks”. Empty: the general note is shown."),
        max_length=DURATION_MAX,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args: Any, note: AuthorityNote | None, **kwargs: Any) -> None:
        if note is not None:
            kwargs.setdefault(
                "initial",
                {
                    "contact": note.contact,
                    "documents": note.documents,
                    "duration": note.duration,
                    "version": note.version,
                },
            )
        super().__init__(*args, **kwargs)

    def data_for_service(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in ("contact", "documents", "duration")}
