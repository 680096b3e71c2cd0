"""PDFs of documents for participants (integration plan, data-subject access report).

WeasyPrint renders our own HTML with our own stylesheets. It never loads anything: every
URL is refused, so neither a remote host nor a local file can end up in a document.
"""

from __future__ import annotations

import logging
import multiprocessing
import re
import time
from collections.abc import Iterable
from multiprocessing.process import BaseProcess

from django.conf import settings
from django.contrib.staticfiles import finders

from bruecke.core import pdf_worker
from bruecke.core.pdf_worker import ForbiddenFetch as ForbiddenFetch
from bruecke.core.pdf_worker import refusing_fetcher as refusing_fetcher

logger = logging.getLogger(__name__)

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


class PdfTooSlow(PdfTooLarge):
    """Rendering took longer than PDF_RENDER_TIMEOUT_SECONDS and was stopped. A subclass of
    PdfTooLarge, so every caller's fallback (print page, JSON copy) applies."""


class PdfRenderFailed(RuntimeError):
    """The rendering process failed or ended without a PDF."""


def check_size(html: str, *, job: bool = False) -> None:
    """Raises PdfTooLarge when `html` is over the rendering budget of a request, or with
    `job` of a background job: a job has no limit on the document's size (its time limit
    JOB_PDF_TIMEOUT_SECONDS bounds it), but the limit on a single text block stays."""
    if not job and len(html) > settings.PDF_MAX_HTML_CHARS:
        raise PdfTooLarge(f"{len(html)} characters of HTML, limit {settings.PDF_MAX_HTML_CHARS}")
    longest = max((len(m.group(1)) for m in _TEXT.finditer(html)), default=0)
    if longest > PDF_MAX_TEXT_BLOCK:
        raise PdfTooLarge(f"a text block of {longest} characters, limit {PDF_MAX_TEXT_BLOCK}")


def stylesheet_text(names: Iterable[str]) -> str:
    """The text of our static stylesheets `names` (paths below static/)."""
    parts = []
    for name in names:
        path = finders.find(name)
        if isinstance(path, str):
            with open(path, encoding="utf-8") as handle:
                parts.append(handle.read())
    return "\n".join(parts)


def _split_run(match: re.Match[str]) -> str:
    run = match.group(0)
    return ZERO_WIDTH_SPACE.join(run[i : i + WORD_RUN] for i in range(0, len(run), WORD_RUN))


def breakable(html: str) -> str:
    """`html` with a zero-width space every WORD_RUN characters of long unbroken text."""
    return _TEXT.sub(lambda m: ">" + _LONG_RUN.sub(_split_run, m.group(1)) + "<", html)


def render_pdf(html: str, stylesheets: Iterable[str], *, job: bool = False) -> bytes:
    """The PDF of `html`. Never call it inside a database transaction: it takes seconds of
    CPU, and locks held meanwhile stall every other request that needs them.

    The size budget does not bound the time (a long note in a narrow table cell that
    breaks over many pages takes minutes, see benchmarks.md), so WeasyPrint runs in a
    child process that is stopped after PDF_RENDER_TIMEOUT_SECONDS (PdfTooSlow), or in a
    background job (`job`) after JOB_PDF_TIMEOUT_SECONDS."""
    check_size(html, job=job)
    timeout = settings.JOB_PDF_TIMEOUT_SECONDS if job else settings.PDF_RENDER_TIMEOUT_SECONDS
    return _render_in_child(breakable(html), stylesheet_text(stylesheets), float(timeout))


def fits_request(html: str) -> bool:
    """Whether `html` is within the size budget of a PDF made during a request."""
    try:
        check_size(html)
    except PdfTooLarge:
        return False
    return True


def fits_job(html: str) -> bool:
    """Whether a background job may try to make a PDF of `html`."""
    try:
        check_size(html, job=True)
    except PdfTooLarge:
        return False
    return True


def _render_in_child(html: str, css: str, timeout: float) -> bytes:
    # "spawn", not "fork": a forked copy of a threaded WSGI worker can inherit held locks and
    # the open database connection; a spawned child starts clean and imports only WeasyPrint.
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=pdf_worker.main, args=(html, css, sending), daemon=True)
    started = time.monotonic()
    child.start()
    sending.close()  # the child holds its own copy; EOF here means the child has ended
    try:
        if not receiving.poll(timeout):
            _stop(child)
            seconds = time.monotonic() - started
            # No HTML in the log: it holds personal data.
            logger.warning(
                "PDF rendering stopped after %.1f s (limit %s s, %d characters of HTML)",
                seconds,
                timeout,
                len(html),
            )
            raise PdfTooSlow(f"rendering stopped after {seconds:.1f} s, limit {timeout} s")
        try:
            kind, payload = receiving.recv()
        except EOFError:
            raise PdfRenderFailed(f"the rendering process ended with code {_ended(child)}") from None
    finally:
        receiving.close()
        _stop(child)
    if kind != "pdf" or not isinstance(payload, bytes):
        raise PdfRenderFailed(f"rendering failed in the child process: {payload}")
    return payload


def _stop(child: BaseProcess) -> None:
    """Ends `child` (politely, then by force) and reaps it, so no zombie stays behind."""
    if child.is_alive():
        child.terminate()
        child.join(2)
    if child.is_alive():
        child.kill()
    child.join()


def _ended(child: BaseProcess) -> int | None:
    child.join(5)
    return child.exitcode
