"""Checking uploaded training materials: PDF or office documents, by content.

The type is read from the bytes; the uploaded name and Content-Type are ignored. A PDF gets
the checks of scans (`core.uploads`: no markup, no active content, nothing appended). An
office document must be a well-formed Office Open XML or OpenDocument file (a ZIP): no
macros, no entries that climb out of the archive, and no more inflated content than a
budget (zip bombs). Old binary formats (.doc, .xls, .ppt) are refused: they cannot be
checked for macros without a library (decision 0044).
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from bruecke.core.uploads import check_content

# extension -> (content type, the part that tells the type inside the archive)
OOXML = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/document.xml"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/workbook.xml"),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "ppt/presentation.xml",
    ),
}
ODF = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
CONTENT_TYPES = {"pdf": "application/pdf", **{ext: kind for ext, (kind, _part) in OOXML.items()}, **ODF}
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# What an office file of a few MB inflates to at most; beyond it the archive is refused.
INFLATED_BUDGET_BYTES = 200_000_000
MAX_ENTRIES = 5_000


def _refuse(message: StrOrPromise, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _office_type(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse(_("The file is not a readable office document."), "office_broken") from None
    if len(entries) > MAX_ENTRIES or sum(entry.file_size for entry in entries) > INFLATED_BUDGET_BYTES:
        raise _refuse(_("The office document unpacks to too much data."), "office_bomb")
    names = {entry.filename for entry in entries}
    for name in names:
        parts = name.replace("\\", "/").split("/")
        if name.startswith("/") or ".." in parts or ":" in parts[0]:
            raise _refuse(_("The office document contains unsafe paths."), "office_paths")
        lowered = name.lower()
        if lowered.endswith("vbaproject.bin") or lowered.startswith("basic/") or "/macros/" in lowered:
            raise _refuse(
                _("The office document contains macros. Please save it without macros or as a PDF."),
                "office_macros",
            )
    if "mimetype" in names:
        mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
        for extension, kind in ODF.items():
            if mimetype == kind:
                return extension
    if "[Content_Types].xml" in names:
        for extension, (_kind, part) in OOXML.items():
            if part in names:
                return extension
    raise _refuse(
        _("Only PDF files and office documents (Word, Excel, PowerPoint, OpenDocument) can be uploaded."),
        "file_type",
    )


def validate_material(upload: UploadedFile) -> str:
    """Returns the file extension to store the material under; raises ValidationError otherwise."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(mb)s MB."), code="too_large", params={"mb": limit // 1_000_000}
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if data.startswith(b"%PDF-"):
        check_content(data, "pdf")
        return "pdf"
    if data.startswith(OLE_SIGNATURE):
        raise _refuse(
            _(
                "Old office formats (.doc, .xls, .ppt) cannot be checked. "
                "Please save the file as .docx, .xlsx, .pptx or PDF."
            ),
            "office_legacy",
        )
    if data.startswith(b"PK\x03\x04"):
        return _office_type(data)
    raise _refuse(
        _("Only PDF files and office documents (Word, Excel, PowerPoint, OpenDocument) can be uploaded."),
        "file_type",
    )


def content_type_for(extension: str) -> str:
    return CONTENT_TYPES.get(extension, "application/octet-stream")
