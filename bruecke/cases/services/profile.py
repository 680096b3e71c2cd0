"""Saving the profile of a case with its work experience, qualifications and wished
occupations, all or nothing; the case's match profile follows in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import (
    Case,
    CaseStatus,
    EventKind,
    Profile,
    Qualification,
    WishedOccupation,
    WorkExperience,
)
from bruecke.cases.models.profile import MAX_ROWS
from bruecke.cases.services.timeline import record_event
from bruecke.core.audit import audit_record
from bruecke.core.locking import EditConflict, check_version
from bruecke.core.models import AuditAction
from bruecke.core.services import model_create, model_delete, model_update
from bruecke.placement.services.match_profiles import refresh_for_case

PROFILE_FIELDS = (
    "strengths",
    "wishes",
    "possibilities",
    "career_goals",
    "digital_skills",
    "digital_skills_note",
    "driving_licence",
    "driving_licence_classes",
    "driving_licence_in_progress",
    "public_transport",
    "own_car",
    "bicycle",
    "max_travel_minutes",
    "max_hours_per_week",
    "shifts_possible",
    "childcare_limits",
)
EXPERIENCE_FIELDS = ("occupation", "kldb_code", "isco_code", "years", "country")
QUALIFICATION_FIELDS = ("kind", "title", "country", "year", "document_available", "recognition")
WISHED_FIELDS = ("kldb_code",)  # the title is taken from the occupation catalogue

Row = TypeVar("Row", WorkExperience, Qualification, WishedOccupation)


@dataclass(frozen=True)
class RowChange:
    """One row of the page as the user left it: pk None for a new row."""

    pk: int | None
    data: dict[str, Any] = field(default_factory=dict)
    delete: bool = False


@transaction.atomic
def profile_save(
    *,
    actor: User,
    case: Case,
    data: Mapping[str, Any],
    experiences: Sequence[RowChange] = (),
    qualifications: Sequence[RowChange] = (),
    wished_occupations: Sequence[RowChange] = (),
    expected_version: int | None = None,
) -> Profile:
    """Creates the profile on first save or updates it; rows are added, changed, removed.

    `expected_version` is the profile version the page was loaded with (1 when there was
    no profile yet): a save based on an outdated page raises EditConflict, nothing saved.
    A wished occupation's code must be in the occupation catalogue; its title is taken
    from there. Every save that changes something refreshes the case's match profile.
    """
    Case.objects.select_for_update().filter(pk=case.pk).first()  # serialises the first save
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("The profile of a closed case cannot be changed."))
    profile = Profile.objects.filter(case=case).first()
    created = profile is None
    if profile is None:
        profile = Profile(case=case, organisation=case.organisation)
    check_version(profile, expected_version)
    changed = [name for name in PROFILE_FIELDS if name in data and getattr(profile, name) != data[name]]
    for name in changed:
        setattr(profile, name, data[name])
    if created:
        profile.updated_by = actor
        model_create(actor=actor, instance=profile)
    rows_changed = _apply_rows(actor, profile, WorkExperience, profile.experiences, experiences)
    rows_changed += _apply_rows(actor, profile, Qualification, profile.qualifications, qualifications)
    rows_changed += _apply_rows(
        actor, profile, WishedOccupation, profile.wished_occupations, _with_titles(wished_occupations)
    )
    if not created and not changed and not rows_changed:
        return profile
    _check_row_limits(profile)
    profile.version += 1
    profile.updated_by = actor
    profile.full_clean()
    profile.save()
    if changed and not created:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=profile, changed_fields=changed)
    record_event(
        actor=actor,
        case=case,
        kind=EventKind.PROFILE,
        obj=profile,
        details={
            "experiences": profile.experiences.count(),
            "qualifications": profile.qualifications.count(),
            "wished_occupations": profile.wished_occupations.count(),
        },
    )
    refresh_for_case(case)
    return profile


def _with_titles(rows: Sequence[RowChange]) -> list[RowChange]:
    """The wished occupations with their catalogue titles; an unknown code is refused."""
    from bruecke.placement.models import Occupation

    codes = {change.data.get("kldb_code") for change in rows if not change.delete}
    titles = dict(
        Occupation.objects.filter(code__in=sorted(c for c in codes if c)).values_list("code", "title")
    )
    result = []
    for change in rows:
        if change.delete:
            result.append(change)
            continue
        code = change.data.get("kldb_code", "")
        if code not in titles:
            raise ValidationError(
                _("The code %(code)s is not in the occupation catalogue. Please search for the occupation.")
                % {"code": code}
            )
        result.append(RowChange(pk=change.pk, data={"kldb_code": code, "title": titles[code]}))
    return result


def _apply_rows(
    actor: User,
    profile: Profile,
    model: type[Row],
    related: models.Manager[Row],
    rows: Sequence[RowChange],
) -> int:
    """Applies the rows' changes; returns how many rows were added, changed or removed."""
    existing = {row.pk: row for row in related.all()}
    count = 0
    for change in rows:
        if change.pk is None:
            if not change.delete:
                model_create(actor=actor, instance=model(profile=profile, **change.data))
                count += 1
            continue
        row = existing.get(change.pk)
        if row is None:  # removed by someone else meanwhile (or not this profile's row)
            raise EditConflict()
        if change.delete:
            model_delete(actor=actor, instance=row)
            count += 1
        else:
            _updated, fields = model_update(actor=actor, instance=row, data=change.data)
            count += bool(fields)
    return count


def _check_row_limits(profile: Profile) -> None:
    counts = (profile.experiences.count(), profile.qualifications.count(), profile.wished_occupations.count())
    if max(counts) > MAX_ROWS:
        raise ValidationError(_("A profile holds at most %(n)s rows of each kind.") % {"n": MAX_ROWS})
