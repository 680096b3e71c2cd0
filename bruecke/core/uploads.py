"""Validation of uploaded scans: type by content (magic bytes), size limit, safe names."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

# What a file starts with decides its type; the uploaded name and Content-Type are ignored.
SIGNATURES = {
    b"%PDF-": ("pdf", "application/pdf"),
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
}


def detect_type(head: bytes) -> tuple[str, str] | None:
    return next((kind for magic, kind in SIGNATURES.items() if head.startswith(magic)), None)


def validate_scan(upload: UploadedFile) -> str:
    """Returns the file extension to store it under; raises ValidationError otherwise."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(mb)s MB."), code="too_large", params={"mb": limit // 1_000_000}
        )
    upload.seek(0)
    kind = detect_type(upload.read(16))
    upload.seek(0)
    if kind is None:
        raise ValidationError(_("Only PDF, JPEG or PNG files can be uploaded."), code="file_type")
    return kind[0]


def safe_name(extension: str) -> str:
    return f"{uuid.uuid4().hex}.{extension}"


def content_type_of(head: bytes) -> str:
    kind = detect_type(head)
    return kind[1] if kind else "application/octet-stream"
