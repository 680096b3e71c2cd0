"""The last two stages every PDF job shares: check the document fits a job, render it, and
hand the file over; a document too large or too slow fails with the kind's own message."""

from __future__ import annotations

from collections.abc import Iterable

from bruecke.core import pdf
from bruecke.jobs.registry import JobFailed, JobOutput, Progress

# Progress in stages: records read, document built, PDF rendered.
STAGES = 3


def pdf_output(
    html: str,
    stylesheets: Iterable[str],
    *,
    progress: Progress,
    filename: str,
    too_large: str,
    too_slow: str,
) -> JobOutput:
    """Renders `html` (the caller reported stage 1 when it had read the records) and
    returns the job's PDF."""
    if not pdf.fits_job(html):
        raise JobFailed(too_large)
    progress(2, STAGES)
    try:
        body = pdf.render_pdf(html, stylesheets, job=True)
    except pdf.PdfTooSlow:
        raise JobFailed(too_slow) from None
    except pdf.PdfTooLarge:
        raise JobFailed(too_large) from None
    progress(3, STAGES)
    return JobOutput(filename=filename, content_type="application/pdf", content=body)
