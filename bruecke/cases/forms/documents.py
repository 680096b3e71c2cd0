"""Uploading a case document and changing its details."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bruecke.cases.models import Case, CaseDocument
from bruecke.core.forms import ModelForm
from bruecke.core.locking import VersionedFormMixin
from bruecke.core.submission import SubmitOnceMixin
from bruecke.core.uploads import validate_scan
from bruecke.network.forms import DateInput


class DocumentForm(SubmitOnceMixin, ModelForm):
    scan_file = forms.FileField(label=_("file"), help_text=_("PDF, JPEG or PNG."))

    class Meta:
        model = CaseDocument
        fields = ["doc_type", "title", "issued_on", "valid_until"]
        widgets = {"issued_on": DateInput(), "valid_until": DateInput()}
        help_texts = {"valid_until": _("If the document expires, a reminder task is created.")}

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.case = case
        self.instance.organisation = case.organisation

    def clean_scan_file(self) -> Any:
        scan = self.cleaned_data["scan_file"]
        validate_scan(scan)  # by content and size; the name and Content-Type are ignored
        return scan


class DocumentEditForm(VersionedFormMixin, ModelForm):  # stubs type `initial` differently
    """The details of an uploaded document; the file itself is replaced by a new upload."""

    class Meta:
        model = CaseDocument
        fields = ["doc_type", "title", "issued_on", "valid_until"]
        widgets = DocumentForm.Meta.widgets
        help_texts = DocumentForm.Meta.help_texts
