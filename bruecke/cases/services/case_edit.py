"""Editing a case's staff and team, pausing and resuming it, and deleting it (audited)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.db import router, transaction
from django.db.models import Model, ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseStatus, DeletionReason, EventKind
from bruecke.cases.selectors.cases import organisation_teams
from bruecke.cases.services.cases import require_visible_to_case_manager
from bruecke.cases.services.timeline import record_event
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction
from bruecke.core.services import model_update
from bruecke.placement.services.match_profiles import refresh_for_case


def _refuse_if_closed(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("A closed case cannot be changed."))


def _check_staff(case: Case, data: Mapping[str, Any]) -> None:
    """Case manager and placement officer must be staff of the case's own partner."""
    errors: dict[str, str] = {}
    manager = data.get("case_manager")
    if manager is not None and case.organisation_id not in access.organisation_ids(
        manager, Perm.EDIT_PARTICIPANTS
    ):
        errors["case_manager"] = _("Please choose a case manager of this partner organisation.")
    officer = data.get("placement_officer")
    if officer is not None and case.organisation_id not in access.organisation_ids(
        officer, Perm.VIEW_PERSONAL_DATA
    ):
        errors["placement_officer"] = _("Please choose a placement officer of this partner organisation.")
    team = data.get("team")
    if team is not None and not organisation_teams(case.organisation_id).filter(pk=team.pk).exists():
        errors["team"] = _("Please choose a team of this partner organisation.")
    office = data.get("office")
    if office is not None and office.organisation_id != case.organisation_id:
        errors["office"] = _("The office belongs to another partner organisation.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def case_update(*, actor: User, case: Case, data: Mapping[str, Any], expected_version: int | None) -> Case:
    """Changes staff, team or office; the timeline names the changed fields only."""
    _refuse_if_closed(case)
    _check_staff(case, data)
    updated, changed = model_update(actor=actor, instance=case, data=data, expected_version=expected_version)
    require_visible_to_case_manager(updated)
    if changed:
        record_event(
            actor=actor, case=updated, kind=EventKind.CASE_CHANGED, obj=updated, details={"fields": changed}
        )
    refresh_for_case(updated)  # team and office are read by matching
    return updated


def _change_status(
    *, actor: User, case: Case, to: CaseStatus, data: dict[str, Any], expected_version: int | None
) -> Case:
    updated, _changed = model_update(
        actor=actor, instance=case, data={"status": to, **data}, expected_version=expected_version
    )
    record_event(
        actor=actor, case=updated, kind=EventKind.STATUS, obj=updated, details={"from": case.status, "to": to}
    )
    refresh_for_case(updated)
    return updated


@transaction.atomic
def case_pause(*, actor: User, case: Case, reason: str, expected_version: int | None) -> Case:
    if case.status != CaseStatus.ACTIVE:
        raise ValidationError(_("Only an active case can be paused."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Please give the reason for the pause.")})
    return _change_status(
        actor=actor,
        case=case,
        to=CaseStatus.PAUSED,
        data={"pause_reason": reason},
        expected_version=expected_version,
    )


@transaction.atomic
def case_resume(*, actor: User, case: Case, expected_version: int | None) -> Case:
    if case.status != CaseStatus.PAUSED:
        raise ValidationError(_("Only a paused case can be resumed."))
    return _change_status(
        actor=actor,
        case=case,
        to=CaseStatus.ACTIVE,
        data={"pause_reason": ""},
        expected_version=expected_version,
    )


def _audit_deleted(actor: User, case: Case, instance: Model) -> None:
    audit_record(actor=actor, action=AuditAction.DELETE, obj=instance, organisation=case.organisation)


@transaction.atomic
def case_delete(*, actor: User, case: Case, reason: str) -> None:
    """Deletes the case with everything recorded in it; one audit event per deleted record.

    The reason is a key of the fixed list `DeletionReason`, written as `reason:<key>` into
    the case's audit event: the log holds field names and keys only, never free text.
    """
    if reason not in DeletionReason.values:
        raise ValidationError({"reason": _("Please choose the reason for the deletion.")})
    case = Case.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=case.pk)
    # Contacts and assessments protect the case from accidental deletion: removed here on purpose.
    for contact in case.contacts.all():
        _audit_deleted(actor, case, contact)
    case.contacts.all().delete()
    for assessment in case.assessments.all():
        _audit_deleted(actor, case, assessment)
    case.assessments.all().delete()
    _delete_plan(actor, case)
    files = [(d.file.storage, d.file.name) for d in case.documents.all() if d.file]
    collector = Collector(using=router.db_for_write(Case))
    try:
        collector.collect([case])
    except (ProtectedError, RestrictedError):
        raise ValidationError(
            _("This case still holds records that prevent its deletion. Nothing has been deleted.")
        ) from None
    for model, instances in collector.data.items():
        if model is not Case and not model._meta.auto_created:
            for instance in instances:
                _audit_deleted(actor, case, instance)
    for queryset in collector.fast_deletes:
        if not queryset.model._meta.auto_created:
            for instance in queryset:
                _audit_deleted(actor, case, instance)
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=case,
        organisation=case.organisation,
        changed_fields=[f"reason:{reason}"],
    )
    collector.delete()
    transaction.on_commit(lambda: _remove_files(files))  # only once the deletion is committed


def _remove_files(files: list[tuple[Storage, str]]) -> None:
    for storage, name in files:
        storage.delete(name)


def _delete_plan(actor: User, case: Case) -> None:
    """The plan protects its case, and its agreed versions are frozen; deleting the whole
    case is the one exception, so the plan goes explicitly, every record audited."""
    from bruecke.cases.models import Goal, Plan, PlanVersion, Step

    plans = Plan.objects.filter(case=case)
    for model in (PlanVersion, Step, Goal):
        lookup = {"plan__case": case} if model is not Step else {"goal__plan__case": case}
        for instance in model.objects.filter(**lookup):
            _audit_deleted(actor, case, instance)
    for plan in plans:
        _audit_deleted(actor, case, plan)
    PlanVersion.objects.filter(plan__case=case).delete()
    plans.delete()
