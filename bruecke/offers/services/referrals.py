"""Closed-loop referrals (Verweisberatung): creating a referral from a case, moving it
along its lifecycle, and the partner's feedback (decision 0045).

Every write checks the actor's scope through `core.access`, then writes the referral, its
step, the case timeline event and the audit events in one transaction. Out of scope is a
404; a refused input is a ValidationError with the field it belongs to, nothing is saved.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseStatus, EventKind
from bruecke.cases.services.timeline import record_event
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.audit import audit_record
from bruecke.core.locking import check_version
from bruecke.core.models import AuditAction
from bruecke.core.services import model_create
from bruecke.offers.models import (
    ALLOWED_NEXT,
    FINAL_STATUSES,
    Measure,
    Referral,
    ReferralStatus,
    ReferralStep,
)
from bruecke.participants.models import Consent, ConsentPurpose

S = ReferralStatus
# How a referral may begin: suggested (talked about, not yet sent) or referred at once.
START_STATUSES = (S.SUGGESTED, S.REFERRED)
# What the receiving partner records (its feedback); never "suggested" or "referred".
PARTNER_STATUSES = frozenset({S.ACCEPTED, S.WAITING_LIST, S.STARTED, S.COMPLETED, S.DROPPED_OUT, S.REJECTED})
SUMMARY_LIMIT = 2000


def feedback_due(
    status: str,
    on: datetime.date,
    *,
    expected_start_on: datetime.date | None = None,
    planned_end_on: datetime.date | None = None,
) -> datetime.date | None:
    """The date by which the referring worker expects to hear back after a step to
    `status` on `on` (decision 0045). None: nothing is awaited (suggested, final, or a
    started measure without a planned end)."""
    days = datetime.timedelta(days=settings.OFFERS_REFERRAL_FEEDBACK_DAYS)
    if status in (S.REFERRED, S.WAITING_LIST):
        return on + days
    if status == S.ACCEPTED:
        return (expected_start_on or on) + days
    if status == S.STARTED:
        return planned_end_on + days if planned_end_on else None
    return None


def is_overdue(referral: Referral, today: datetime.date) -> bool:
    """Open and past the date its feedback was expected by."""
    return (
        referral.status not in FINAL_STATUSES
        and referral.feedback_due_on is not None
        and referral.feedback_due_on < today
    )


def sharing_consent(participant_id: int, organisation_id: int | None) -> Consent | None:
    """The participant's active sharing consent that names `organisation_id`, or None."""
    if organisation_id is None:
        return None
    return (
        Consent.objects.filter(
            participant_id=participant_id,
            purpose=ConsentPurpose.SHARING,
            revoked_on__isnull=True,
            shared_with=organisation_id,
        )
        .order_by("-given_on", "-pk")
        .first()
    )


def summary_visible(referral: Referral) -> bool:
    """Whether the partner may read the summary now: the consent it was given under is
    still unrevoked and still names the partner (checked on every read)."""
    if not referral.summary or referral.summary_consent_id is None or referral.to_organisation_id is None:
        return False
    return Consent.objects.filter(
        pk=referral.summary_consent_id, revoked_on__isnull=True, shared_with=referral.to_organisation_id
    ).exists()


def _fmt(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def _check_dates(
    *,
    on: datetime.date,
    after: datetime.date | None,
    expected_start_on: datetime.date | None,
    planned_end_on: datetime.date | None,
    started_on: datetime.date | None,
    not_before: datetime.date | None = None,
) -> None:
    """A step's date lies between the previous step (or the case's opening) and today; the
    planned dates may lie ahead, but an end never precedes the start."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if on > today:
        errors["on"] = _("The date cannot be in the future.")
    elif after is not None and on < after:
        errors["on"] = _("The date cannot be before the previous step (%(date)s).") % {"date": _fmt(after)}
    elif not_before is not None and on < not_before:
        errors["on"] = _("The date cannot be before the case was opened (%(date)s).") % {
            "date": _fmt(not_before)
        }
    start = started_on or expected_start_on
    if planned_end_on is not None and start is not None and planned_end_on < start:
        errors["planned_end_on"] = _("The planned end cannot be before the start (%(date)s).") % {
            "date": _fmt(start)
        }
    if errors:
        raise ValidationError(errors)


def _record_step(
    actor: User | None, referral: Referral, status: str, on: datetime.date, note: str, *, by_partner: bool
) -> ReferralStep:
    step = ReferralStep(
        referral=referral, status=status, occurred_on=on, note=note, recorded_by=actor, by_partner=by_partner
    )
    step.full_clean(exclude=["referral"])
    step.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=step,
        organisation=referral.organisation,
        changed_fields=["status", "occurred_on", *(["note"] if note else [])],
    )
    # Details: the status and who answered, never the note (free text).
    record_event(
        actor=actor,
        case=referral.case,
        kind=EventKind.REFERRAL,
        occurred_on=on,
        obj=referral,
        details={"status": status, "by_partner": by_partner},
    )
    return step


def _require_case(actor: User, case: Case) -> Case:
    scoped = Case.objects.filter(access.case_filter(actor, Perm.RECORD_CASE_WORK) & Q(pk=case.pk))
    current = scoped.select_for_update().first()
    if current is None:
        raise Http404
    return current


@transaction.atomic
def referral_create(
    *,
    actor: User,
    case: Case,
    measure: Measure,
    status: str = S.REFERRED,
    on: datetime.date,
    expected_start_on: datetime.date | None = None,
    note: str = "",
    summary: str = "",
) -> Referral:
    """Refers the case's participant to a measure of the network's catalogue, as a
    suggestion or sent at once. A summary for the receiving partner only under the
    participant's sharing consent naming that partner."""
    case = _require_case(actor, case)
    if not Measure.objects.filter(access.offers_filter(actor) & Q(pk=measure.pk)).exists():
        raise Http404
    measure = Measure.objects.select_related("provider").get(pk=measure.pk)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError({"measure": _("The case is closed. Reopen it to refer the participant.")})
    if not measure.is_active:
        raise ValidationError({"measure": _("This measure is no longer offered.")})
    if status not in START_STATUSES:
        raise ValidationError({"status": _("A referral starts as suggested or referred.")})
    _check_dates(
        on=on,
        after=None,
        expected_start_on=expected_start_on,
        planned_end_on=None,
        started_on=None,
        not_before=case.opened_on,
    )
    to_organisation_id = measure.provider.partner_id
    consent = None
    summary = summary.strip()
    if summary:
        consent = sharing_consent(case.participant_id, to_organisation_id)
        if to_organisation_id is None:
            raise ValidationError(
                {
                    "summary": _(
                        "A summary goes only to a network partner in Brücke. This provider is not one."
                    )
                }
            )
        if consent is None:
            raise ValidationError(
                {
                    "summary": _(
                        "The participant has not consented to sharing with this partner. "
                        "No summary can be handed over."
                    )
                }
            )
        if len(summary) > SUMMARY_LIMIT:
            raise ValidationError({"summary": _("The summary is longer than 2,000 characters.")})
    referral = model_create(
        actor=actor,
        instance=Referral(
            case=case,
            participant_id=case.participant_id,
            team_id=case.team_id,
            organisation_id=case.organisation_id,
            measure=measure,
            to_organisation_id=to_organisation_id,
            status=status,
            status_on=on,
            referred_on=on if status == S.REFERRED else None,
            expected_start_on=expected_start_on,
            feedback_due_on=feedback_due(status, on, expected_start_on=expected_start_on),
            summary=summary,
            summary_consent=consent,
            created_by=actor,
        ),
    )
    _record_step(actor, referral, status, on, note, by_partner=False)
    return referral


def _move(
    actor: User | None,
    referral: Referral,
    *,
    status: str,
    on: datetime.date,
    note: str,
    expected_start_on: datetime.date | None,
    planned_end_on: datetime.date | None,
    by_partner: bool,
) -> Referral:
    """Moves a locked referral one step along ALLOWED_NEXT (callers check access)."""
    current = referral.status
    if status not in ALLOWED_NEXT.get(current, frozenset()):
        label = S(status).label if status in S.values else status
        raise ValidationError(
            {
                "status": _("A referral that is “%(current)s” cannot become “%(status)s”.")
                % {"current": S(current).label, "status": label}
            }
        )
    expected_start_on = expected_start_on or referral.expected_start_on
    planned_end_on = planned_end_on or referral.planned_end_on
    started_on = on if status == S.STARTED else referral.started_on
    _check_dates(
        on=on,
        after=referral.status_on,
        expected_start_on=expected_start_on,
        planned_end_on=planned_end_on,
        started_on=started_on,
    )
    changed = {
        "status": status,
        "status_on": on,
        "expected_start_on": expected_start_on,
        "planned_end_on": planned_end_on,
        "started_on": started_on,
        "feedback_due_on": feedback_due(
            status, on, expected_start_on=expected_start_on, planned_end_on=planned_end_on
        ),
    }
    if status == S.REFERRED:
        changed["referred_on"] = on
    if status in FINAL_STATUSES:
        changed["ended_on"] = on
    names = [name for name, value in changed.items() if getattr(referral, name) != value]
    for name, value in changed.items():
        setattr(referral, name, value)
    referral.version += 1
    referral.save(update_fields=[*names, "version", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=referral, changed_fields=names)
    _record_step(actor, referral, status, on, note, by_partner=by_partner)
    return referral


def _locked(queryset: QuerySet[Referral], pk: int) -> Referral:
    current = queryset.select_for_update().filter(pk=pk).first()
    if current is None:
        raise Http404
    return current


@transaction.atomic
def referral_step(
    *,
    actor: User,
    referral: Referral,
    status: str,
    on: datetime.date,
    note: str = "",
    expected_start_on: datetime.date | None = None,
    planned_end_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> Referral:
    """The referring side records the next step (the partner's answer it heard by phone,
    or its own: sent, dropped out)."""
    scoped = Referral.objects.filter(access.case_record_filter(actor, write=True))
    current = _locked(scoped, referral.pk)
    check_version(current, expected_version)
    return _move(
        actor,
        current,
        status=status,
        on=on,
        note=note,
        expected_start_on=expected_start_on,
        planned_end_on=planned_end_on,
        by_partner=False,
    )


@transaction.atomic
def referral_feedback(
    *,
    actor: User,
    referral: Referral,
    status: str,
    on: datetime.date,
    note: str = "",
    expected_start_on: datetime.date | None = None,
    planned_end_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> Referral:
    """The receiving partner answers a referral sent to it (`by_partner`)."""
    scoped = Referral.objects.filter(access.incoming_referral_filter(actor)).exclude(status=S.SUGGESTED)
    current = _locked(scoped, referral.pk)
    check_version(current, expected_version)
    if status not in PARTNER_STATUSES:
        raise ValidationError({"status": _("The partner records acceptance, start and outcome only.")})
    return _move(
        actor,
        current,
        status=status,
        on=on,
        note=note,
        expected_start_on=expected_start_on,
        planned_end_on=planned_end_on,
        by_partner=True,
    )
