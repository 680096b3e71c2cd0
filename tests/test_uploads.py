"""Uploaded scans are refused when they are more than a scan: active PDF content, polyglots.

Every file here is made by the test, so what each one contains is visible in the test."""

from __future__ import annotations

import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from bruecke.cases.demo import DEMO_DOCUMENT
from bruecke.core.uploads import ACTIVE_PDF_NAMES, INFLATE_BUDGET_BYTES, validate_scan

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4 + b"\xff\xd9"


def _pdf(*objects: bytes, tail: bytes = b"") -> bytes:
    body = b"".join(b"%d 0 obj\n%s\nendobj\n" % (number, obj) for number, obj in enumerate(objects, start=3))
    return (
        b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n" + body + b"trailer<</Root 1 0 R>>\n%%EOF\n" + tail
    )


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(content)
    return b"<</Filter/FlateDecode/Length %d%s>>stream\n%s\nendstream" % (len(packed), extra, packed)


def _code(data: bytes) -> str:
    with pytest.raises(ValidationError) as raised:
        validate_scan(SimpleUploadedFile("scan.pdf", data))
    return str(raised.value.code)


@pytest.mark.parametrize("data", [DEMO_DOCUMENT, _pdf(b"<</Length 3>>stream\nabc\nendstream"), PNG, JPEG])
def test_plain_scans_are_accepted(data: bytes) -> None:
    assert validate_scan(SimpleUploadedFile("scan", data)) in {"pdf", "png", "jpg"}


def test_plain_compressed_content_is_accepted() -> None:
    content = b"BT /F1 12 Tf 72 712 Td (Zeugnis) Tj ET"  # names, but none that acts
    assert validate_scan(SimpleUploadedFile("scan", _pdf(_stream(content)))) == "pdf"


@pytest.mark.parametrize("name", sorted(ACTIVE_PDF_NAMES))
def test_every_active_pdf_name_is_refused(name: str) -> None:
    assert _code(_pdf(b"<</%s 5 0 R>>" % name.encode())) == "pdf_active"


def test_an_auto_run_javascript_action_is_refused() -> None:
    action = b"<</Type/Catalog/Pages 2 0 R/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>"
    assert _code(_pdf(action)) == "pdf_active"


def test_hex_escaped_names_are_refused() -> None:
    assert _code(_pdf(b"<</S/J#61vaScript/J#53(app.alert(1))>>")) == "pdf_active"


def test_javascript_inside_a_compressed_object_stream_is_refused() -> None:
    hidden = b"5 0 <</S/JavaScript/JS(app.alert(1))>>"
    object_stream = _stream(hidden, b"/Type/ObjStm/N 1/First 4")
    assert _code(_pdf(object_stream)) == "pdf_active"


def test_an_embedded_file_in_a_compressed_stream_is_refused() -> None:
    assert _code(_pdf(_stream(b"<</Names<</EmbeddedFiles 6 0 R>>>>"))) == "pdf_active"


def test_a_decompression_bomb_is_refused_without_inflating_it_all() -> None:
    assert _code(_pdf(_stream(b"\x00" * (INFLATE_BUDGET_BYTES + 1)))) == "pdf_unreadable"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n%%EOF\n",
        _pdf(b"<</Length 40>>stream\n<!DOCTYPE html><iframe src=x></iframe>\nendstream"),
        _pdf(b"(<SCRIPT>alert(1)</SCRIPT>)"),
        _pdf(b"<</URI(javascript:alert(1))>>"),
        PNG + b"<svg onload=alert(1)>",
        JPEG[:-2] + b"<?php system($_GET['c']); ?>" + b"\xff\xd9",
    ],
)
def test_polyglots_with_markup_or_script_are_refused(data: bytes) -> None:
    assert _code(data) == "polyglot"


@pytest.mark.parametrize(
    "tail",
    [b"PK\x03\x04" + b"\x00" * 2000, b"\x00" * 2000],  # a zip appended, or anything else beyond the end
)
def test_data_appended_after_the_pdf_end_is_refused(tail: bytes) -> None:
    assert _code(_pdf(tail=tail)) == "pdf_tail"


def test_content_must_start_at_offset_zero() -> None:
    # PDF readers accept a header anywhere in the first kilobyte; we do not.
    assert _code(b"\n" + DEMO_DOCUMENT) == "file_type"
    assert _code(b"GIF89a" + DEMO_DOCUMENT) == "file_type"
