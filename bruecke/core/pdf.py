"""PDFs of documents for participants (integration plan, data-subject access report).

WeasyPrint renders our own HTML with our own stylesheets. It never loads anything: every
URL is refused, so neither a remote host nor a local file can end up in a document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders

# WeasyPrint breaks a word too long for its line character by character, and sizes grid
# and table columns by trying every break: time grows with the square of the word's
# length (measured: 2,000 characters in an access-report record took 71 s). A zero-width
# space every few characters of a long run gives it ordinary break opportunities instead.
WORD_RUN = 30
ZERO_WIDTH_SPACE = "\u200b"
# Text between tags; entities (&amp;) and markup are never split (& ; < > end a run).
_TEXT = re.compile(r">([^<]+)<")
_LONG_RUN = re.compile(rf"[^\s&;<>\u200b]{{{WORD_RUN + 1},}}")


# The longest text between two tags a PDF may hold: about five of the longest notes. Even
# with break opportunities a single huge block takes minutes to lay out in a grid or table.
PDF_MAX_TEXT_BLOCK = 50_000


class PdfTooLarge(ValueError):
    """Over PDF_MAX_HTML_CHARS, or a text block over PDF_MAX_TEXT_BLOCK: refused before
    WeasyPrint starts, so no request can stall a worker for minutes."""


def check_size(html: str) -> None:
    """Raises PdfTooLarge when `html` is over the rendering budget."""
    if len(html) > settings.PDF_MAX_HTML_CHARS:
        raise PdfTooLarge(f"{len(html)} characters of HTML, limit {settings.PDF_MAX_HTML_CHARS}")
    longest = max((len(m.group(1)) for m in _TEXT.finditer(html)), default=0)
    if longest > PDF_MAX_TEXT_BLOCK:
        raise PdfTooLarge(f"a text block of {longest} characters, limit {PDF_MAX_TEXT_BLOCK}")


class ForbiddenFetch(ValueError):
    """WeasyPrint asked for a URL; documents for participants load nothing."""


def stylesheet_text(names: Iterable[str]) -> str:
    """The text of our static stylesheets `names` (paths below static/)."""
    parts = []
    for name in names:
        path = finders.find(name)
        if isinstance(path, str):
            with open(path, encoding="utf-8") as handle:
                parts.append(handle.read())
    return "\n".join(parts)


def refusing_fetcher() -> Any:
    """A WeasyPrint URL fetcher that fetches nothing (no host, no file, no data URL)."""
    from weasyprint.urls import URLFetcher

    class RefusingFetcher(URLFetcher):
        def fetch(self, url: str, headers: object = None) -> Any:
            raise ForbiddenFetch(f"Documents for participants load nothing ({url[:60]}).")

    return RefusingFetcher()


def _split_run(match: re.Match[str]) -> str:
    run = match.group(0)
    return ZERO_WIDTH_SPACE.join(run[i : i + WORD_RUN] for i in range(0, len(run), WORD_RUN))


def breakable(html: str) -> str:
    """`html` with a zero-width space every WORD_RUN characters of long unbroken text."""
    return _TEXT.sub(lambda m: ">" + _LONG_RUN.sub(_split_run, m.group(1)) + "<", html)


def render_pdf(html: str, stylesheets: Iterable[str]) -> bytes:
    """The PDF of `html`. Never call it inside a database transaction: it takes seconds of
    CPU, and locks held meanwhile stall every other request that needs them."""
    check_size(html)
    from weasyprint import CSS, HTML  # heavy import, only where PDFs are made

    fetcher = refusing_fetcher()
    stylesheet = CSS(string=stylesheet_text(stylesheets), url_fetcher=fetcher)
    document = HTML(string=breakable(html), url_fetcher=fetcher, base_url=None)
    pdf = document.write_pdf(stylesheets=[stylesheet])
    assert isinstance(pdf, bytes)
    return pdf
