"""Documents of a case: scans of permits, certificates, recognition notices, CVs, contracts.

Files are stored under a random name below MEDIA_ROOT, which is outside the web root and has
no URL route: they are only served by the access-checked, audited download view.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from bruecke.cases.models.case import Case
from bruecke.core.locking import VersionedModel
from bruecke.core.models import OrganisationScopedModel


class DocumentType(models.TextChoices):
    PERMIT = "permit", _("residence or work permit")
    CERTIFICATE = "certificate", _("certificate")
    RECOGNITION = "recognition", _("recognition notice")
    CV = "cv", _("CV")
    CONTRACT = "contract", _("contract")
    OTHER = "other", _("other document")


def document_path(instance: CaseDocument, filename: str) -> str:
    # Never the uploaded name: the service passes a random one; one folder per organisation.
    return f"case-documents/{instance.case.organisation_id}/{filename}"


class CaseDocument(VersionedModel, OrganisationScopedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents", verbose_name=_("case"))
    doc_type = models.CharField(_("document type"), max_length=12, choices=DocumentType.choices)
    title = models.CharField(_("title"), max_length=200)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["case", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.issued_on and self.issued_on > datetime.date.today():
            raise ValidationError({"issued_on": _("The issue date cannot be in the future.")})
        if self.issued_on and self.valid_until and self.valid_until < self.issued_on:
            raise ValidationError({"valid_until": _("A document cannot expire before it was issued.")})

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1] if "." in self.file.name else ""

    @property
    def download_name(self) -> str:
        """The file name offered on download: type and number, never the uploaded name."""
        return f"{self.doc_type}-{self.pk}.{self.extension}"
