"""Starting a list export: the job's parameters, title and file name (never personal
data in the title or file name: they end up in download folders and mail).

The worker has no session, so the page's filter travels in the job's parameters. A value
that can be personal data (the participant search: a name) is stored encrypted, under
`e_<name>`, bound to this use; the worker decrypts it (decision 0073)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext

from bruecke.accounts.models import User
from bruecke.core import crypto
from bruecke.jobs.models import ACTIVE_STATES, Job
from bruecke.jobs.services import job_start
from bruecke.spreadsheets.exporting.registry import ListExport
from bruecke.spreadsheets.exporting.writing import FORMATS

KIND = "spreadsheets.list_export"
FILTER_PREFIX = "f_"  # job parameters are flat: the page's filter as f_<name>
SEALED_PREFIX = "e_"  # a filter value that can be personal data, encrypted
SEALED_CONTEXT = "jobs.job.params:spreadsheets.list_export"


def job_params(
    export: ListExport, query: Mapping[str, str], output_format: str, *, include_notes: bool, language: str
) -> dict[str, Any]:
    if output_format not in FORMATS:
        raise ValueError(f"unknown format {output_format!r}")
    cleaned = export.clean_query(query)
    return {
        "list": export.key,
        "format": output_format,
        "include_notes": include_notes,
        "language": language,
        **{FILTER_PREFIX + key: value for key, value in cleaned.items() if key not in export.sealed_keys},
        **{
            SEALED_PREFIX + key: crypto.encrypt(value, context=SEALED_CONTEXT)
            for key, value in cleaned.items()
            if key in export.sealed_keys
        },
    }


def query_of(params: Mapping[str, Any]) -> dict[str, str]:
    """The page's filter from the job's parameters, sealed values decrypted (a value that
    no configured key opens raises `crypto.DecryptionError`)."""
    query = {k.removeprefix(FILTER_PREFIX): str(v) for k, v in params.items() if k.startswith(FILTER_PREFIX)}
    for key, value in params.items():
        if key.startswith(SEALED_PREFIX):
            query[key.removeprefix(SEALED_PREFIX)] = crypto.decrypt(str(value), context=SEALED_CONTEXT)
    return query


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
    filtered = any(key.startswith((FILTER_PREFIX, SEALED_PREFIX)) for key in params)
    title = gettext("List export: %(list)s (%(format)s)") % {
        "list": export.title,
        "format": output_format.upper(),
    }
    if filtered:
        title = gettext("%(title)s, filtered") % {"title": title}
    return _same_export_running(actor, params) or job_start(
        actor=actor, kind=KIND, params=params, title=title
    )


def _opened(params: Mapping[str, Any]) -> dict[str, Any]:
    plain = {k: v for k, v in params.items() if not k.startswith(SEALED_PREFIX)}
    return {
        **plain,
        **{SEALED_PREFIX + k: v for k, v in query_of(params).items() if FILTER_PREFIX + k not in params},
    }


def _same_export_running(actor: User, params: Mapping[str, Any]) -> Job | None:
    """A second click starts no second export. The jobs framework compares fingerprints
    of the parameters, which differ for an encrypted value (a fresh nonce each time):
    with one, the user's waiting or running exports are compared opened."""
    if not any(key.startswith(SEALED_PREFIX) for key in params):
        return None
    wanted = _opened(params)
    for job in Job.objects.filter(created_by=actor, kind=KIND, state__in=ACTIVE_STATES):
        try:
            if _opened(job.params) == wanted:
                return job
        except crypto.DecryptionError:
            continue
    return None


def export_filename(export: ListExport, output_format: str) -> str:
    """E.g. teilnehmende_2026-12-07.xlsx: the list's German name and the day."""
    with translation.override("de"):
        name = slugify(str(export.title)) or "liste"
    return f"{name}_{timezone.localdate().isoformat()}.{output_format}"
