"""Recording a mobile consultation hour: several case contacts and anonymous short
contacts from one screen, all or nothing."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import AnonymousContact, Case, Channel, Contact, ContactTopic
from bruecke.cases.selectors.mobile import mobile_sites_for, open_cases_for_mobile
from bruecke.cases.services.contacts import contact_record
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.services import model_create
from bruecke.network.models import Membership, MobileSite


@dataclass(frozen=True)
class CaseRow:
    case: Case
    duration_minutes: int
    topics: Sequence[ContactTopic] = ()
    interpreter: str = ""
    interpreter_language: str = ""
    note: str = ""


@dataclass(frozen=True)
class AnonymousRow:
    duration_minutes: int
    language: str
    topics: Sequence[ContactTopic] = ()
    gender: str = ""
    age_group: str = ""


Row = CaseRow | AnonymousRow


class RowErrors(ValidationError):
    """Some rows (or the site and date) are invalid; nothing was saved.

    `header` holds the errors about site and date, `rows` the errors per row index."""

    def __init__(
        self, *, header: ValidationError | None = None, rows: dict[int, ValidationError] | None = None
    ) -> None:
        super().__init__(_("Nothing has been saved. Please correct the marked rows."), code="rows")
        self.header = header
        self.rows = rows or {}


@dataclass
class MobileHourResult:
    contacts: list[Contact] = field(default_factory=list)
    anonymous: list[AnonymousContact] = field(default_factory=list)


def _recording_membership(actor: User, site: MobileSite) -> Membership | None:
    """The membership the actor records under at this site: the first that may edit
    participants in the site's network (staff rarely hold more than one)."""
    for membership in access.memberships_with(actor, Perm.EDIT_PARTICIPANTS):
        if membership.organisation.network_id == site.network_id:
            return membership
    return None


def _check_header(actor: User, site: MobileSite, date: datetime.date) -> Membership:
    errors: dict[str, str] = {}
    membership = _recording_membership(actor, site)
    if membership is None or not mobile_sites_for(actor).filter(pk=site.pk).exists():
        errors["site"] = _("Please choose an active site of your network.")
    if date > datetime.date.today():
        errors["date"] = _("The consultation hour cannot be in the future.")
    if errors or membership is None:
        raise RowErrors(header=ValidationError(errors))
    return membership


def _build(
    actor: User, site: MobileSite, date: datetime.date, membership: Membership, row: Row
) -> Contact | AnonymousContact:
    if isinstance(row, CaseRow):
        return Contact(
            case=row.case,
            date=date,
            duration_minutes=row.duration_minutes,
            channel=Channel.MOBILE,
            site=site,
            interpreter=row.interpreter,
            interpreter_language=row.interpreter_language,
            note=row.note,
            recorded_by=actor,
        )
    return AnonymousContact(
        organisation=membership.organisation,
        team=membership.team,
        site=site,
        date=date,
        duration_minutes=row.duration_minutes,
        language=row.language,
        gender=row.gender,
        age_group=row.age_group,
        recorded_by=actor,
    )


def _validate_rows(actor: User, records: Sequence[Contact | AnonymousContact], rows: Sequence[Row]) -> None:
    """Checks every row before anything is written, so all errors show at once."""
    case_ids = {row.case.pk for row in rows if isinstance(row, CaseRow)}
    editable = set(open_cases_for_mobile(actor).filter(pk__in=case_ids).values_list("pk", flat=True))
    errors: dict[int, ValidationError] = {}
    for index, (record, row) in enumerate(zip(records, rows, strict=True)):
        if isinstance(row, CaseRow) and row.case.pk not in editable:
            errors[index] = ValidationError({"case": _("Please choose one of your open cases.")})
            continue
        try:
            record.full_clean()
        except ValidationError as error:
            errors[index] = error
    if errors:
        raise RowErrors(rows=errors)


@transaction.atomic
def mobile_hour_record(
    *, actor: User, site: MobileSite, date: datetime.date, rows: Sequence[Row]
) -> MobileHourResult:
    """Records every row of one consultation hour at `site` on `date`, or none of them.

    Case contacts go through `contact_record` (channel MOBILE, with the site), so each case
    gets its timeline event; anonymous short contacts are saved on their own, attributed
    to the recording staff member's organisation and team."""
    membership = _check_header(actor, site, date)
    if not rows:
        raise ValidationError(_("Please fill in at least one row."))
    records = [_build(actor, site, date, membership, row) for row in rows]
    _validate_rows(actor, records, rows)
    result = MobileHourResult()
    for index, (record, row) in enumerate(zip(records, rows, strict=True)):
        try:
            if isinstance(record, Contact):
                result.contacts.append(contact_record(actor=actor, contact=record, topics=row.topics))
            else:
                model_create(actor=actor, instance=record)
                record.topics.set(list(row.topics))
                result.anonymous.append(record)
        except ValidationError as error:
            # Raising leaves the transaction, so the rows saved before this one roll back.
            raise RowErrors(rows={index: error}) from error
    return result
