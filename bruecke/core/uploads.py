"""Validation of uploaded scans: type by content, no active content, size limit, safe names.

The first bytes decide the type; the uploaded name and Content-Type are ignored. Then the
whole file is read (it is at most UPLOAD_MAX_BYTES): a scan is refused when it is also
something else (a polyglot: HTML or script anywhere in it, a PDF whose end is not a PDF
end) or when a PDF carries active content (scripts, actions run on opening, launched
programs, embedded files, Flash, XFA forms). No PDF library is installed, so PDF names are
found in the raw bytes and in every Flate-compressed stream, which is where object streams
hide dictionaries (decision 0025).
"""

from __future__ import annotations

import re
import uuid
import zlib
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

SIGNATURES = {
    b"%PDF-": ("pdf", "application/pdf"),
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
}

# PDF names that make a reader do something by itself or carry other files.
ACTIVE_PDF_NAMES = frozenset(
    {
        "JavaScript",
        "JS",
        "OpenAction",
        "AA",
        "Launch",
        "EmbeddedFile",
        "EmbeddedFiles",
        "RichMedia",
        "XFA",
        "SubmitForm",
        "ImportData",
        "GoToR",
        "GoToE",
    }
)
# What a browser or an interpreter would act on; none of it belongs in a scan. Each marker
# is long enough that random image bytes practically never match it (a 10 MB JPEG holds
# an accidental "<html" with a chance of about 1 in 10,000,000).
MARKUP = re.compile(
    rb"<(?:!doctype|html|head[\s>]|body|script|iframe|object|embed|svg[\s>]|meta[\s>])"
    rb"|javascript:|<\?php",
    re.IGNORECASE,
)
# A PDF name: a slash, then regular characters; `#xx` escapes a byte (`/J#61vaScript`).
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n")
# A reader looks for the end of file marker in the last kilobyte; anything after it may be
# another format appended to the PDF.
PDF_TAIL_BYTES = 1024
# Inflating stops here in total: a small compressed stream may expand without limit.
INFLATE_BUDGET_BYTES = 50_000_000


def detect_type(head: bytes) -> tuple[str, str] | None:
    return next((kind for magic, kind in SIGNATURES.items() if head.startswith(magic)), None)


def _pdf_names(data: bytes) -> set[str]:
    names = set()
    for match in _PDF_NAME.finditer(data):
        raw = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        names.add(raw.decode("latin-1"))
    return names


def _inflated_streams(data: bytes) -> Iterator[bytes]:
    """The content of every stream that inflates with zlib (FlateDecode), within a budget."""
    budget = INFLATE_BUDGET_BYTES
    view = memoryview(data)  # slices without copying the rest of the file for each stream
    for match in _STREAM.finditer(data):
        inflater = zlib.decompressobj()
        try:
            content = inflater.decompress(view[match.end() :], budget)
        except zlib.error:
            continue  # not Flate (an image, or plain content already scanned raw)
        budget -= len(content)
        yield content
        if budget <= 0:
            raise ValidationError(
                _("This PDF cannot be checked. Please scan it again."), code="pdf_unreadable"
            )


def active_content(data: bytes) -> set[str]:
    """The active-content names found in a PDF, raw or inside compressed streams."""
    found = _pdf_names(data) & ACTIVE_PDF_NAMES
    for content in _inflated_streams(data):
        found |= _pdf_names(content) & ACTIVE_PDF_NAMES
    return found


def check_content(data: bytes, extension: str) -> None:
    """Raises ValidationError when a file of type `extension` is also something else."""
    if MARKUP.search(data):
        raise ValidationError(
            _("The file contains web page or script code. Please upload a plain scan."), code="polyglot"
        )
    if extension != "pdf":
        return
    if b"%%EOF" not in data[-PDF_TAIL_BYTES:]:
        raise ValidationError(
            _("The PDF is incomplete or has other data appended. Please scan it again."), code="pdf_tail"
        )
    if active_content(data):
        raise ValidationError(
            _("The PDF contains scripts, automatic actions or embedded files. Please upload a plain scan."),
            code="pdf_active",
        )


def validate_scan(upload: UploadedFile) -> str:
    """Returns the file extension to store it under; raises ValidationError otherwise."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(mb)s MB."), code="too_large", params={"mb": limit // 1_000_000}
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    kind = detect_type(data[:16])
    if kind is None:
        raise ValidationError(_("Only PDF, JPEG or PNG files can be uploaded."), code="file_type")
    check_content(data, kind[0])
    return kind[0]


def safe_name(extension: str) -> str:
    return f"{uuid.uuid4().hex}.{extension}"


def content_type_of(head: bytes) -> str:
    kind = detect_type(head)
    return kind[1] if kind else "application/octet-stream"
