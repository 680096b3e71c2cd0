"""Starting a list export: the job's parameters, title and file name (never personal
data in the title or file name: they end up in download folders and mail)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext

from bruecke.accounts.models import User
from bruecke.jobs.models import Job
from bruecke.jobs.services import job_start
from bruecke.spreadsheets.exporting.registry import ListExport
from bruecke.spreadsheets.exporting.writing import FORMATS

KIND = "spreadsheets.list_export"
FILTER_PREFIX = "f_"  # job parameters are flat: the page's filter as f_<name>


def job_params(
    export: ListExport, query: Mapping[str, str], output_format: str, *, include_notes: bool, language: str
) -> dict[str, Any]:
    if output_format not in FORMATS:
        raise ValueError(f"unknown format {output_format!r}")
    return {
        "list": export.key,
        "format": output_format,
        "include_notes": include_notes,
        "language": language,
        **{FILTER_PREFIX + key: value for key, value in export.clean_query(query).items()},
    }


def query_of(params: Mapping[str, Any]) -> dict[str, str]:
    return {k.removeprefix(FILTER_PREFIX): str(v) for k, v in params.items() if k.startswith(FILTER_PREFIX)}


def list_export_start(
    *,
    actor: User,
    export: ListExport,
    query: Mapping[str, str],
    output_format: str,
    include_notes: bool,
    language: str,
) -> Job:
    """Starts the export job (after the page's own permission check). The user's access is
    checked again when the job runs, and the export is audited once the file is made."""
    export.require(actor)
    params = job_params(
        export,
        query,
        output_format,
        include_notes=include_notes and export.offers_notes(actor),
        language=language,
    )
    filtered = any(key.startswith(FILTER_PREFIX) for key in params)
    title = gettext("List export: %(list)s (%(format)s)") % {
        "list": export.title,
        "format": output_format.upper(),
    }
    if filtered:
        title = gettext("%(title)s, filtered") % {"title": title}
    return job_start(actor=actor, kind=KIND, params=params, title=title)


def export_filename(export: ListExport, output_format: str) -> str:
    """E.g. teilnehmende_2026-12-07.xlsx: the list's German name and the day."""
    with translation.override("de"):
        name = slugify(str(export.title)) or "liste"
    return f"{name}_{timezone.localdate().isoformat()}.{output_format}"
