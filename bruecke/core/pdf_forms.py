"""The button that starts a PDF as a background job (access report, plan): a one-time
form, so a double click or a reload of the answer starts nothing twice."""

from __future__ import annotations

from django import forms

from bruecke.core.forms import Form
from bruecke.core.submission import SubmitOnceMixin
from bruecke.participants.models import InfoSheetLanguage


class PdfJobForm(SubmitOnceMixin, Form):
    # The documents' languages are those of the information sheet.
    lang = forms.ChoiceField(choices=InfoSheetLanguage.choices, widget=forms.HiddenInput)
