"""PDFs of documents for participants (integration plan, data-subject access report).

WeasyPrint renders our own HTML with our own stylesheets. It never loads anything: every
URL is refused, so neither a remote host nor a local file can end up in a document.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.staticfiles import finders


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


def render_pdf(html: str, stylesheets: Iterable[str]) -> bytes:
    from weasyprint import CSS, HTML  # heavy import, only where PDFs are made

    fetcher = refusing_fetcher()
    stylesheet = CSS(string=stylesheet_text(stylesheets), url_fetcher=fetcher)
    document = HTML(string=html, url_fetcher=fetcher, base_url=None)
    pdf = document.write_pdf(stylesheets=[stylesheet])
    assert isinstance(pdf, bytes)
    return pdf
