"""The child process that renders a PDF (see bruecke.core.pdf.render_pdf).

Started with multiprocessing's "spawn" method, so it shares nothing with the web worker:
no Django settings, no database connection, no threads. It imports only WeasyPrint, turns
plain strings into PDF bytes and sends them back. Keep Django out of this module.
"""

from __future__ import annotations

from multiprocessing.connection import Connection
from typing import Any


class ForbiddenFetch(ValueError):
    """WeasyPrint asked for a URL; documents for participants load nothing."""


def refusing_fetcher() -> Any:
    """A WeasyPrint URL fetcher that fetches nothing (no host, no file, no data URL)."""
    from weasyprint.urls import URLFetcher

    class RefusingFetcher(URLFetcher):
        def fetch(self, url: str, headers: object = None) -> Any:
            raise ForbiddenFetch(f"Documents for participants load nothing ({url[:60]}).")

    return RefusingFetcher()


def render(html: str, css: str) -> bytes:
    """The PDF of `html` styled by `css`, loading nothing."""
    from weasyprint import CSS, HTML  # heavy import, only where PDFs are made

    fetcher = refusing_fetcher()
    stylesheet = CSS(string=css, url_fetcher=fetcher)
    document = HTML(string=html, url_fetcher=fetcher, base_url=None)
    pdf = document.write_pdf(stylesheets=[stylesheet])
    assert isinstance(pdf, bytes)
    return pdf


def main(html: str, css: str, channel: Connection) -> None:
    """Entry point of the child: sends ("pdf", bytes) or ("error", the exception's type)."""
    try:
        body = render(html, css)
    except Exception as error:  # reported to the parent, which raises; no text: it may hold data
        channel.send(("error", type(error).__name__))
    else:
        channel.send(("pdf", body))
    finally:
        channel.close()
