"""Every write to ESF entry data: validated, audited (field names only), one transaction."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from django.db import transaction

from bruecke.accounts.models import User
from bruecke.core.locking import EditConflict
from bruecke.core.services import model_create, model_create_many, model_update
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


@transaction.atomic
def entry_records_create(
    *,
    actor: User,
    entries: Sequence[tuple[Participant, Mapping[str, Any]]],
    known_relations: Collection[str] = (),
) -> list[EntryRecord]:
    """`entry_record_save` for the first entry records of many participants at once (an
    import's chunk), in their order: the same validation, citizenships frozen at entry
    and one CREATE event each, written with one INSERT for the records and one for the
    events. A participant who has a record by now gets it updated by `entry_record_save`."""
    for _participant, data in entries:
        unknown = set(data) - EDITABLE_FIELDS
        if unknown:
            raise TypeError(f"Not fields of the entry questionnaire: {sorted(unknown)}")
    have = set(
        EntryRecord.objects.select_for_update()
        .filter(participant__in=[participant for participant, _data in entries])
        .values_list("participant_id", flat=True)
    )
    new: list[EntryRecord] = []
    for participant, data in entries:
        if participant.pk in have:
            continue
        fields = dict(data)
        further = fields.pop("further_citizenships", None)
        fields |= _citizenships(participant, None, further)
        new.append(EntryRecord(participant=participant, organisation=participant.organisation, **fields))
    created = {
        record.participant_id: record
        for record in model_create_many(actor=actor, instances=new, known_relations=known_relations)
    }
    return [
        created.get(participant.pk)
        or entry_record_save(actor=actor, participant=participant, data=data, known_relations=known_relations)
        for participant, data in entries
    ]
