"""Reads of ESF entry data, always through the access module's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Case, F, Q, QuerySet, Value, When
from django.urls import reverse

from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.esf.models import MANDATORY_FIELDS, EntryRecord, missing_fields, missing_values
from bruecke.participants.models import Gender, Participant
from bruecke.participants.selectors import AnyUser, participants_visible_to
from bruecke.projects.models import EsfVariant


def variant_of(participant: Participant) -> str:
    """The project's ESF reporting variant; ESF Plus when the participant has no project."""
    if participant.project_id is None:
        return EsfVariant.ESF_PLUS
    return participant.project.esf_variant or EsfVariant.ESF_PLUS  # type: ignore[union-attr]


def entry_record_of(participant: Participant) -> EntryRecord | None:
    """The entry record of a participant the caller has already fetched through its scope."""
    return EntryRecord.objects.filter(participant=participant).first()


def missing_labels(names: list[str]) -> list[str]:
    return [str(MANDATORY_FIELDS[name]) for name in names]


def entry_panel(participant: Participant) -> dict[str, Any]:
    """Context for templates/esf/entry_panel.html on the participant page (as `esf_entry`).

    The participant must come from a scoped selector (participant_get). Two queries at most:
    the entry record and, for participants in a project, the project's variant.
    """
    record = entry_record_of(participant)
    missing = missing_fields(participant, record)
    variant = variant_of(participant)
    return {
        "record": record,
        "exists": record is not None,
        "complete": not missing,
        "missing": missing,
        "missing_labels": missing_labels(missing),
        "variant": variant,
        "variant_label": EsfVariant(variant).label,
        "lm_status": record.get_lm_status_entry_display() if record and record.lm_status_entry else "",
        "isced": record.get_isced_level_display() if record and record.isced_level is not None else "",
        "age_at_entry": participant.age_at_entry,
        "url": reverse("esf:entry", args=[participant.pk]),
    }


def incomplete_condition() -> Q:
    """Participants whose mandatory ESF entry items (§11.2) are not all recorded."""
    return (
        Q(gender__in=["", Gender.NOT_STATED])
        | Q(birth_year__isnull=True)
        | Q(esf_entry__isnull=True)
        | Q(esf_entry__lm_status_entry="")
        | Q(esf_entry__isced_level__isnull=True)
    )


def incomplete_entries(user: AnyUser) -> QuerySet[Participant]:
    """Participants in the user's scope whose mandatory ESF items (§11.2) are incomplete.

    The record's values come as annotations (no per-row query, and the encrypted fields are
    never loaded); `esf_can_edit` says whether the user may open the questionnaire.
    """
    may_edit = access.personal_data_filter(user, team_field="team", perm=Perm.EDIT_PARTICIPANTS)
    return (
        participants_visible_to(user)
        .filter(incomplete_condition())
        .select_related("team", "organisation")
        .annotate(
            esf_record_id=F("esf_entry__id"),
            esf_lm_status=F("esf_entry__lm_status_entry"),
            esf_isced=F("esf_entry__isced_level"),
            esf_can_edit=Case(
                When(may_edit, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
        )
        .order_by("latin_name", "id")
    )


def row_missing(participant: Participant) -> list[str]:
    """Missing mandatory items of a row from incomplete_entries (uses the annotations only)."""
    return missing_values(
        gender=participant.gender,
        birth_year=participant.birth_year,
        lm_status=participant.esf_lm_status,  # type: ignore[attr-defined]
        isced=participant.esf_isced,  # type: ignore[attr-defined]
    )
