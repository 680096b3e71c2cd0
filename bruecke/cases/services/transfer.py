"""Transferring a case: request, accept (everything moves in one transaction), reject, withdraw."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseStatus, CaseTransfer, EventKind, Task, TransferStatus
from bruecke.cases.services.timeline import record_event
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.locking import check_version
from bruecke.core.services import model_create, model_update
from bruecke.esf.models import EntryRecord
from bruecke.network.models import Membership, Organisation, Team
from bruecke.participants.models import Consent, ConsentPurpose, Participant
from bruecke.placement.services.match_profiles import refresh_for_case


def has_transfer_consent(participant: Participant, organisation: Organisation) -> bool:
    """An unrevoked consent to transfer that names `organisation` (read fresh every time)."""
    return Consent.objects.filter(
        participant=participant,
        purpose=ConsentPurpose.TRANSFER,
        revoked_on__isnull=True,
        shared_with=organisation,
    ).exists()


def _details(transfer: CaseTransfer) -> dict[str, Any]:
    # Organisation and team names are not personal data; the reason stays out of the timeline.
    return {
        "status": transfer.status,
        "from": str(transfer.from_organisation),
        "to": str(transfer.to_organisation),
        "to_team": str(transfer.to_team) if transfer.to_team else "",
    }


def _check_destination(case: Case, to_organisation: Organisation, to_team: Team | None) -> None:
    network_id = case.organisation.network_id
    if to_organisation.network_id != network_id or not to_organisation.is_active:
        raise ValidationError({"to_organisation": _("Please choose an active partner of your network.")})
    if to_team is None:
        if to_organisation.pk == case.organisation_id:
            raise ValidationError({"to_team": _("Please choose the team the case moves to.")})
        return
    if to_team.network_id != network_id or not to_team.is_active:
        raise ValidationError({"to_team": _("Please choose an active team of your network.")})
    if to_organisation.pk == case.organisation_id and to_team.pk == case.team_id:
        raise ValidationError({"to_team": _("The case is already with this team.")})
    staffed = Membership.objects.filter(organisation=to_organisation, team=to_team, ended_on__isnull=True)
    if not staffed.exists():
        raise ValidationError(
            {"to_team": _("%(partner)s has no staff in this team.") % {"partner": to_organisation}}
        )


def _refuse_without_consent(case: Case, to_organisation: Organisation, field: str | None) -> None:
    if to_organisation.pk == case.organisation_id:
        return  # another team of the same partner: the data stays with the same legal entity
    if not has_transfer_consent(case.participant, to_organisation):
        message = _(
            "There is no valid consent to transfer naming %(partner)s. Please first record the "
            "participant's consent to transfer to this partner (purpose 'transfer to another "
            "partner organisation')."
        ) % {"partner": to_organisation}
        raise ValidationError({field: message} if field else message)


@transaction.atomic
def transfer_request(
    *, actor: User, case: Case, to_organisation: Organisation, to_team: Team | None, reason: str
) -> CaseTransfer:
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("organisation", "participant")
        .get(pk=case.pk)
    )
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("A closed case cannot be transferred."))
    if case.transfers.filter(status=TransferStatus.PENDING).exists():
        raise ValidationError(_("This case already has a transfer waiting for a decision."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Please give the reason for the transfer.")})
    _check_destination(case, to_organisation, to_team)
    _refuse_without_consent(case, to_organisation, "to_organisation")
    transfer = model_create(
        actor=actor,
        instance=CaseTransfer(
            case=case,
            from_organisation=case.organisation,
            from_team=case.team,
            to_organisation=to_organisation,
            to_team=to_team,
            reason=reason,
            requested_by=actor,
        ),
    )
    record_event(actor=actor, case=case, kind=EventKind.TRANSFER, obj=transfer, details=_details(transfer))
    return transfer


def _lock_pending(transfer: CaseTransfer, expected_version: int | None) -> CaseTransfer:
    current = (
        CaseTransfer.objects.select_for_update(of=("self",))
        .select_related("from_organisation", "to_organisation", "to_team")
        .get(pk=transfer.pk)
    )
    check_version(current, expected_version)
    if current.status != TransferStatus.PENDING:
        raise ValidationError(_("This transfer has already been decided or withdrawn."))
    return current


def _decide(
    *, actor: User, transfer: CaseTransfer, status: TransferStatus, data: dict[str, Any] | None = None
) -> CaseTransfer:
    values = {"status": status, "decided_by": actor, "decided_at": timezone.now(), **(data or {})}
    updated, _changed = model_update(actor=actor, instance=transfer, data=values)
    record_event(
        actor=actor, case=updated.case, kind=EventKind.TRANSFER, obj=updated, details=_details(updated)
    )
    return updated


def _receiving_manager(transfer: CaseTransfer, actor: User, chosen: User | None) -> User:
    manager = chosen or actor
    if transfer.to_organisation_id not in access.organisation_ids(manager, Perm.EDIT_PARTICIPANTS):
        raise ValidationError({"case_manager": _("Please choose a case manager of the receiving partner.")})
    return manager


def _team_of(user: User, organisation: Organisation) -> Team | None:
    """The user's team at `organisation`, for a transfer that named no team."""
    return next(
        (m.team for m in access.memberships(user) if m.organisation_id == organisation.pk and m.team_id),
        None,
    )


def _move_records(*, actor: User, case: Case, transfer: CaseTransfer, manager: User) -> None:
    """Case, participant, ESF entry record and the case's tasks go to the receiver."""
    organisation = transfer.to_organisation
    team = transfer.to_team or _team_of(manager, organisation)
    officer = case.placement_officer
    if officer is not None and organisation.pk not in access.organisation_ids(
        officer, Perm.VIEW_PERSONAL_DATA
    ):
        officer = None
    office = (
        case.office if case.office is not None and case.office.organisation_id == organisation.pk else None
    )
    model_update(
        actor=actor,
        instance=case,
        data={
            "organisation": organisation,
            "team": team,
            "office": office,
            "case_manager": manager,
            "placement_officer": officer,
        },
    )
    model_update(actor=actor, instance=case.participant, data={"organisation": organisation, "team": team})
    entry = EntryRecord.objects.filter(participant_id=case.participant_id).first()
    if entry is not None:
        model_update(actor=actor, instance=entry, data={"organisation": organisation})
    # Done tasks move too, so that no task of the case stays visible to the sender.
    for task in Task.objects.filter(case=case):
        data: dict[str, Any] = {"organisation": organisation}
        if task.done_on is None:
            data["assignee"] = manager
        model_update(actor=actor, instance=task, data=data)


@transaction.atomic
def transfer_accept(
    *, actor: User, transfer: CaseTransfer, expected_version: int | None, case_manager: User | None = None
) -> CaseTransfer:
    """Moves the case to the receiver; the sender loses access with this commit."""
    current = _lock_pending(transfer, expected_version)
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("participant", "office", "placement_officer", "organisation")
        .get(pk=current.case_id)
    )
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("The case has been closed in the meantime and cannot be transferred."))
    _refuse_without_consent(case, current.to_organisation, None)
    manager = _receiving_manager(current, actor, case_manager)
    _move_records(actor=actor, case=case, transfer=current, manager=manager)
    if not access.personal_data_visible_to(
        manager, Case.objects.filter(pk=case.pk), team_field="team"
    ).exists():
        # Raising undoes the move: a case nobody responsible can open must not be accepted.
        raise ValidationError(
            {"case_manager": _("This case manager works in another team and would not see the case.")}
        )
    refresh_for_case(Case.objects.select_related("participant", "office").get(pk=case.pk))
    return _decide(actor=actor, transfer=current, status=TransferStatus.ACCEPTED)


@transaction.atomic
def transfer_reject(
    *, actor: User, transfer: CaseTransfer, reason: str, expected_version: int | None
) -> CaseTransfer:
    current = _lock_pending(transfer, expected_version)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"rejection_reason": _("Please give the reason for the rejection.")})
    return _decide(
        actor=actor, transfer=current, status=TransferStatus.REJECTED, data={"rejection_reason": reason}
    )


@transaction.atomic
def transfer_withdraw(*, actor: User, transfer: CaseTransfer, expected_version: int | None) -> CaseTransfer:
    current = _lock_pending(transfer, expected_version)
    return _decide(actor=actor, transfer=current, status=TransferStatus.WITHDRAWN)
