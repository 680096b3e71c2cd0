"""Writing group offers, their sessions, enrolments and attendance.

Every write is validated, saved and audited in one transaction. Attendance of a whole
session is written in a constant number of queries, whatever the number of participants
(decision 0048): bulk inserts and updates, one INSERT of audit events (one per changed
row, so each person's log names the record) and one INSERT of timeline events.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseEvent, CaseStatus, EventKind
from bruecke.core.audit import object_type_of
from bruecke.core.locking import check_version
from bruecke.core.middleware import current_request_context
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.core.services import model_create, model_update
from bruecke.offers.models import Attendance, AttendanceStatus, Enrolment, GroupOffer, GroupSession


def _sessions_outside(offer_id: int | None, starts_on: datetime.date, ends_on: datetime.date | None) -> int:
    if offer_id is None:
        return 0
    sessions = GroupSession.objects.filter(offer_id=offer_id)
    outside = sessions.filter(date__lt=starts_on)
    if ends_on is not None:
        outside = outside | sessions.filter(date__gt=ends_on)
    return outside.count()


@transaction.atomic
def group_offer_create(*, actor: User, offer: GroupOffer) -> GroupOffer:
    offer.created_by = actor
    return model_create(actor=actor, instance=offer)


@transaction.atomic
def group_offer_update(
    *, actor: User, offer: GroupOffer, data: Mapping[str, Any], expected_version: int | None
) -> GroupOffer:
    """Saves the changes; the period must still hold every session already planned."""
    starts_on = data.get("starts_on", offer.starts_on)
    ends_on = data.get("ends_on", offer.ends_on)
    if starts_on is not None and _sessions_outside(offer.pk, starts_on, ends_on):
        raise ValidationError(
            {"starts_on": _("Sessions of this group offer lie outside the new period. Move them first.")}
        )
    saved, _changed = model_update(actor=actor, instance=offer, data=data, expected_version=expected_version)
    return saved


@transaction.atomic
def session_create(*, actor: User, session: GroupSession) -> GroupSession:
    """A session lies within the offer's period: a date outside it is almost always a typo."""
    offer = session.offer
    if session.date is not None and (
        session.date < offer.starts_on or (offer.ends_on is not None and session.date > offer.ends_on)
    ):
        raise ValidationError({"date": _("The date lies outside the period of the group offer.")})
    return model_create(actor=actor, instance=session)


def active_enrolment_count(offer: GroupOffer) -> int:
    return Enrolment.objects.filter(offer=offer, left_on__isnull=True).count()


@transaction.atomic
def enrolment_create(
    *, actor: User, offer: GroupOffer, case: Case, enrolled_on: datetime.date, over_capacity: bool = False
) -> Enrolment:
    """Enrols the case's participant. A full offer is a warning the user confirms
    (`over_capacity`), not a block. The view offers only cases the user records work on."""
    # Lock the offer so that two enrolments at once count each other.
    locked = GroupOffer.objects.select_for_update().get(pk=offer.pk)
    if case.organisation_id != locked.organisation_id or case.status == CaseStatus.CLOSED:
        raise ValidationError({"case": _("This participant cannot be enrolled in this group offer.")})
    if Enrolment.objects.filter(offer=locked, participant_id=case.participant_id).exists():
        raise ValidationError({"case": _("This participant is already enrolled in this group offer.")})
    if locked.ends_on is not None and enrolled_on > locked.ends_on:
        raise ValidationError({"enrolled_on": _("The group offer has already ended on that date.")})
    taken = active_enrolment_count(locked)
    if locked.capacity is not None and taken >= locked.capacity and not over_capacity:
        raise ValidationError(
            {
                "over_capacity": _(
                    "All %(capacity)s places are taken. Confirm to enrol the participant anyway."
                )
                % {"capacity": locked.capacity}
            }
        )
    return model_create(
        actor=actor,
        instance=Enrolment(
            offer=locked,
            organisation_id=locked.organisation_id,
            case=case,
            participant_id=case.participant_id,
            enrolled_on=enrolled_on,
            enrolled_by=actor,
        ),
    )


@transaction.atomic
def enrolment_end(*, actor: User, enrolment: Enrolment, left_on: datetime.date) -> Enrolment:
    if left_on < enrolment.enrolled_on:
        raise ValidationError({"left_on": _("The participant cannot leave before being enrolled.")})
    saved, _changed = model_update(actor=actor, instance=enrolment, data={"left_on": left_on})
    return saved


def roster_enrolments(session: GroupSession) -> list[Enrolment]:
    """Who is on the attendance list of a session: the offer's enrolments that had not left
    before the session's day (one query, the participant's name with it)."""
    return list(
        Enrolment.objects.filter(offer_id=session.offer_id)
        .exclude(left_on__lt=session.date)
        .select_related("participant")
        .order_by("participant__family_name", "participant__given_names", "id")
    )


@dataclass(frozen=True)
class AttendanceResult:
    created: int
    changed: int
    counts: dict[str, int]


@transaction.atomic
def attendance_save(
    *,
    actor: User,
    session: GroupSession,
    rows: Mapping[int, str],
    guests: int,
    expected_version: int | None,
) -> AttendanceResult:
    """Saves the attendance of a whole session: `rows` maps enrolment ids to a status.

    A constant number of queries for any number of rows. A row for an enrolment that is
    not on this session's list (another offer's, or one who had left) refuses the whole
    save; nothing is half-saved.
    """
    locked = GroupSession.objects.select_for_update().select_related("offer").get(pk=session.pk)
    check_version(locked, expected_version)
    if not 0 <= guests <= 1000:
        raise ValidationError({"guests": _("Enter a number of guests between 0 and 1000.")})
    valid = set(AttendanceStatus.values)
    if any(status not in valid for status in rows.values()):
        raise ValidationError(_("An attendance status is not one of present, excused or absent."))
    enrolments = {
        e.pk: e
        for e in Enrolment.objects.filter(offer_id=locked.offer_id, pk__in=sorted(rows)).exclude(
            left_on__lt=locked.date
        )
    }
    if set(rows) - set(enrolments):
        raise ValidationError(
            _("Attendance can only be recorded for participants enrolled in this group offer.")
        )
    now = timezone.now()
    existing = {a.enrolment_id: a for a in Attendance.objects.filter(session=locked)}
    new: list[Attendance] = []
    changed: list[Attendance] = []
    for enrolment_id, status in rows.items():
        current = existing.get(enrolment_id)
        if current is None:
            new.append(
                Attendance(
                    session=locked,
                    enrolment_id=enrolment_id,
                    status=status,
                    recorded_by=actor,
                    recorded_at=now,
                )
            )
        elif current.status != status:
            current.status, current.recorded_by, current.recorded_at = status, actor, now
            changed.append(current)
    Attendance.objects.bulk_create(new)
    if changed:
        Attendance.objects.bulk_update(changed, ["status", "recorded_by", "recorded_at"])
    written = new + changed
    corrected = {a.pk for a in changed}
    _audit_rows(actor, locked, new, changed, guests_changed=locked.guests != guests)
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case_id=enrolments[a.enrolment_id].case_id,
            kind=EventKind.ATTENDANCE,
            occurred_on=locked.date,
            actor=actor,
            object_type=object_type_of(a),
            object_id=str(a.pk),
            details={"status": a.status, "offer": locked.offer.title, "corrected": a.pk in corrected},
        )
        for a in written
    )
    locked.guests = guests
    locked.attendance_taken_at = locked.attendance_taken_at or now
    locked.version += 1
    locked.save(update_fields=["guests", "attendance_taken_at", "version", "updated_at"])
    counts = dict.fromkeys(AttendanceStatus.values, 0)
    for status in rows.values():
        counts[status] += 1
    return AttendanceResult(created=len(new), changed=len(changed), counts=counts)


def _audit_rows(
    actor: User,
    session: GroupSession,
    new: list[Attendance],
    changed: list[Attendance],
    *,
    guests_changed: bool,
) -> None:
    """One audit event per written row and one for the session, in one INSERT (as
    `audit_read_all` does for reads): each participant's log names the attendance record."""
    context = current_request_context()
    organisation_id = session.offer.organisation_id

    def event(action: AuditAction, object_type: str, object_id: int, fields: list[str]) -> AuditEvent:
        return AuditEvent(
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            organisation_id=organisation_id,
            changed_fields=fields,
            request_id=context.request_id if context else "",
            remote_addr=context.remote_addr if context else None,
        )

    label = Attendance._meta.label_lower
    events = [event(AuditAction.CREATE, label, a.pk, ["enrolment", "session", "status"]) for a in new]
    events += [event(AuditAction.UPDATE, label, a.pk, ["status"]) for a in changed]
    session_fields = ["attendance_taken_at", *(["guests"] if guests_changed else [])]
    events.append(event(AuditAction.UPDATE, GroupSession._meta.label_lower, session.pk, session_fields))
    AuditEvent.objects.bulk_create(events)
