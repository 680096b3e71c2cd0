"""Every write to ESF entry data: validated, audited (field names only), one transaction."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.db import transaction

from bruecke.accounts.models import User
from bruecke.core.locking import EditConflict
from bruecke.core.services import model_create, model_update
from bruecke.esf.models import EntryRecord, citizenship_codes, third_country_national_of
from bruecke.participants.models import Participant

# What the questionnaire may set; the participant and organisation are never taken from input.
EDITABLE_FIELDS = frozenset(
    {
        "lm_status_entry",
        "registered_unemployed_since",
        "in_education_training",
        "isced_level",
        "school_qualification_de",
        "vocational_qualification_de",
        "disability",
        "disability_details",
        "minority",
        "foreign_background",
        "homeless_or_housing_exclusion",
        "sensitive_asked_on",
        "household_jobless",
        "household_single_adult",
        "household_dependent_children",
        "rural_area",
        "further_citizenships",
    }
)


def _citizenships(
    participant: Participant, record: EntryRecord | None, further: str | None
) -> dict[str, Any]:
    """Citizenships frozen at entry (§11.1, §11.15): the participant's nationality when the
    record is created (the first code), plus the further citizenships of the form. A later
    change of the participant's nationality does not change them."""
    if record is None:
        primary = [str(participant.nationality)] if participant.nationality else []
    else:
        primary = citizenship_codes(record.citizenships)[:1]
        if further is None:
            return {}
    codes = citizenship_codes(" ".join([*primary, further or ""]))
    return {
        "citizenships": " ".join(codes),
        "third_country_national_at_entry": third_country_national_of(codes),
    }


@transaction.atomic
def entry_record_save(
    *,
    actor: User,
    participant: Participant,
    data: Mapping[str, Any],
    expected_version: int | None = None,
    known_relations: Collection[str] = (),
) -> EntryRecord:
    """Creates or updates the participant's entry record; validation in EntryRecord.clean
    (§8.7). Raises ValidationError with the field names, and nothing is saved.

    `expected_version` is the version the form was loaded with, 0 if there was no record
    yet; a record saved meanwhile by someone else raises EditConflict. `known_relations`:
    a new record's foreign keys the caller has read in this transaction (model_create)."""
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not fields of the entry questionnaire: {sorted(unknown)}")
    fields = dict(data)
    further = fields.pop("further_citizenships", None)
    record = EntryRecord.objects.select_for_update().filter(participant=participant).first()
    fields |= _citizenships(participant, record, further)
    if record is None:
        if expected_version not in (None, 0):  # the page showed a record that is gone
            raise EditConflict()
        return model_create(
            actor=actor,
            instance=EntryRecord(participant=participant, organisation=participant.organisation, **fields),
            known_relations=known_relations,
        )
    updated, _changed = model_update(
        actor=actor,
        instance=record,
        data={**fields, "organisation": participant.organisation},
        expected_version=expected_version,
    )
    return updated
