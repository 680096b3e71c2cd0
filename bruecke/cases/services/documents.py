"""Uploading, changing and deleting case documents; an expiry date keeps a reminder task
in sync."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import CaseDocument, CaseStatus, EventKind, TaskSource
from bruecke.cases.services.tasks import task_remove_for, task_sync
from bruecke.cases.services.timeline import record_event
from bruecke.core.services import model_create, model_delete, model_update
from bruecke.core.uploads import safe_name, validate_scan


def reminder_due_on(valid_until: datetime.date, today: datetime.date | None = None) -> datetime.date:
    """DOCUMENT_REMINDER_DAYS before expiry, but never in the past."""
    today = today or datetime.date.today()
    return max(valid_until - datetime.timedelta(days=settings.DOCUMENT_REMINDER_DAYS), today)


@transaction.atomic
def document_upload(*, actor: User, document: CaseDocument, upload: UploadedFile) -> CaseDocument:
    """Stores the scan (checked by content) under a random name and records the document.

    Everything is validated before the file is written; if saving the record fails after
    that, the file is removed again, so no orphan file is left behind.
    """
    case = document.case
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("Documents cannot be added to a closed case."))
    extension = validate_scan(upload)
    document.organisation = case.organisation
    document.uploaded_by = actor
    document.full_clean(exclude=["file"])
    document.file.save(safe_name(extension), upload, save=False)
    stored = document.file.name
    try:
        with transaction.atomic():
            model_create(actor=actor, instance=document)
            _sync_reminder(actor, document)
            record_event(
                actor=actor,
                case=case,
                kind=EventKind.DOCUMENT,
                obj=document,
                details=_details(document, "uploaded"),
            )
    except BaseException:
        document.file.storage.delete(stored)
        raise
    return document


@transaction.atomic
def document_update(
    *, actor: User, document: CaseDocument, data: dict[str, object], expected_version: int | None
) -> CaseDocument:
    """Changes the details (type, title, dates; not the file); the reminder follows the new
    expiry date, and a removed date removes the reminder."""
    if document.case.status == CaseStatus.CLOSED:
        raise ValidationError(_("Documents of a closed case cannot be changed."))
    updated, changed = model_update(
        actor=actor, instance=document, data=data, expected_version=expected_version
    )
    if changed:
        _sync_reminder(actor, updated)
        record_event(
            actor=actor,
            case=updated.case,
            kind=EventKind.DOCUMENT,
            obj=updated,
            details=_details(updated, "changed"),
        )
    return updated


@transaction.atomic
def document_delete(*, actor: User, document: CaseDocument) -> None:
    """An audited exception: the record, its reminder and, after commit, the file go."""
    storage, name = document.file.storage, document.file.name
    task_remove_for(actor=actor, source=document)
    record_event(
        actor=actor,
        case=document.case,
        kind=EventKind.DOCUMENT,
        obj=document,
        details=_details(document, "deleted"),
    )
    model_delete(actor=actor, instance=document)
    # Only once the deletion is committed: a rollback must not leave a record without file.
    transaction.on_commit(lambda: storage.delete(name))


def _sync_reminder(actor: User, document: CaseDocument) -> None:
    if document.valid_until is None:
        task_remove_for(actor=actor, source=document)
        return
    task_sync(
        actor=actor,
        source=document,
        source_kind=TaskSource.DOCUMENT_EXPIRY,
        case=document.case,
        assignee=document.case.case_manager,
        title=_("%(type)s expires on %(date)s: %(title)s")
        % {
            "type": document.get_doc_type_display(),
            "date": document.valid_until.strftime("%d.%m.%Y"),
            "title": document.title,
        },
        due_on=reminder_due_on(document.valid_until),
    )


def _details(document: CaseDocument, action: str) -> dict[str, str]:
    # The type key and what happened; never the title or the file name.
    return {"type": document.doc_type, "action": action}
