"""Every write to participant data: validated, audited, in one transaction."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.core.services import model_create, model_create_many, model_delete, model_update
from bruecke.core.uploads import safe_name, validate_scan
from bruecke.dedupe.services import registration_changed, registrations_created
from bruecke.network.models import Organisation
from bruecke.participants import names
from bruecke.participants.models import Consent, NameKey, NameVariant, Participant, ResidenceStatus
from bruecke.placement.services.match_profiles import refresh_for_participant


def _clean_variants(variants: Iterable[str], participant: Participant) -> list[str]:
    """Distinct other spellings, without the document name itself."""
    seen = {names.normalise(n).casefold() for n in (participant.full_name, participant.own_script_name)}
    result = []
    for raw in variants:
        variant = names.normalise(raw)
        if variant and variant.casefold() not in seen:
            seen.add(variant.casefold())
            result.append(variant)
    return result


def refresh_eligibility_many(participants: Sequence[Participant]) -> None:
    """Stores each participant's eligibility at the entry date (the funder's reference
    point) for lists: read in one query (with documents and project), written in one
    UPDATE per verdict."""
    from bruecke.projects.eligibility import evaluate

    fresh = (
        Participant.objects.prefetch_related("residence_statuses")
        .select_related("project")
        .filter(pk__in=[p.pk for p in participants])
    )
    verdicts: dict[str, list[int]] = defaultdict(list)
    for participant in fresh:
        verdicts[evaluate(participant, on=participant.entry_date).verdict].append(participant.pk)
    for verdict, ids in verdicts.items():
        Participant.objects.filter(pk__in=ids).update(eligibility=verdict)


def refresh_eligibility(participant: Participant) -> None:
    """Stores the eligibility at the entry date (the funder's reference point) for lists."""
    refresh_eligibility_many([participant])


def refresh_current_status(participant: Participant) -> None:
    """Copies the newest residence document onto the participant (derived, for lists)."""
    newest = participant.residence_statuses.order_by("-issued_on", "-id").first()
    Participant.objects.filter(pk=participant.pk).update(
        current_status=newest.status if newest else "",
        current_valid_until=newest.valid_until if newest else None,
    )


def _name_keys(participant: Participant, variants: Iterable[str]) -> list[NameKey]:
    """Derived search keys from every spelling (Latin, own script, other spellings)."""
    spellings = [
        participant.given_names,
        participant.family_name,
        participant.given_names_own_script,
        participant.family_name_own_script,
        *variants,
    ]
    keys = set().union(*(names.name_keys(s) for s in spellings if s))
    return [NameKey(participant=participant, key=k[:64]) for k in sorted(keys)]


def rebuild_name_keys(participant: Participant) -> None:
    """The search keys, rebuilt whenever a name changes."""
    NameKey.objects.filter(participant=participant).delete()
    variants = participant.name_variants.values_list("name", flat=True)
    NameKey.objects.bulk_create(_name_keys(participant, variants))


@transaction.atomic
def participant_create(
    *,
    actor: User,
    participant: Participant,
    variants: Iterable[str] = (),
    residence: ResidenceStatus | None = None,
) -> Participant:
    participant.created_by = actor
    participant.latin_name = names.to_latin(participant.full_name)[:400]
    model_create(actor=actor, instance=participant)
    for variant in _clean_variants(variants, participant):
        model_create(actor=actor, instance=NameVariant(participant=participant, name=variant))
    if residence is not None:
        residence.participant = participant
        model_create(actor=actor, instance=residence)
        refresh_current_status(participant)
    rebuild_name_keys(participant)
    registration_changed(participant)
    refresh_eligibility(participant)
    return participant


@transaction.atomic
def participants_create(
    *,
    actor: User,
    registrations: Sequence[tuple[Participant, Iterable[str]]],
    known_relations: Collection[str] = (),
) -> list[Participant]:
    """`participant_create` (without a residence document) for many new participants at
    once, e.g. a chunk of an imported list: the same records, audit events (one CREATE per
    participant and per other spelling), Latin names, name keys, duplicate-detection keys
    and eligibility, in a number of queries that does not grow with the participants
    except for the cross-partner comparison (two per participant). `known_relations`: the
    foreign keys the caller has read in this transaction (`full_clean_known`)."""
    people = [participant for participant, _variants in registrations]
    for participant in people:
        participant.created_by = actor
        participant.latin_name = names.to_latin(participant.full_name)[:400]
    model_create_many(actor=actor, instances=people, known_relations=known_relations)
    spellings = {
        participant.pk: _clean_variants(variants, participant) for participant, variants in registrations
    }
    model_create_many(
        actor=actor,
        instances=[
            NameVariant(participant=participant, name=name)
            for participant in people
            for name in spellings[participant.pk]
        ],
        known_relations=("participant",),
    )
    keys = [key for participant in people for key in _name_keys(participant, spellings[participant.pk])]
    NameKey.objects.bulk_create(keys)
    registrations_created(people)
    refresh_eligibility_many(people)
    return people


@transaction.atomic
def participant_update(
    *,
    actor: User,
    participant: Participant,
    data: Mapping[str, Any],
    variants: Iterable[str] | None = None,
    expected_version: int | None = None,
) -> Participant:
    given = data.get("given_names", participant.given_names)
    family = data.get("family_name", participant.family_name)
    latin = names.to_latin(f"{given} {family}".strip())[:400]
    updated, _changed = model_update(
        actor=actor,
        instance=participant,
        data={**data, "latin_name": latin},
        expected_version=expected_version,
    )
    if variants is not None:
        wanted = _clean_variants(variants, updated)
        for old in updated.name_variants.all():
            if old.name not in wanted:
                model_delete(actor=actor, instance=old)
        existing = set(updated.name_variants.values_list("name", flat=True))
        for variant in wanted:
            if variant not in existing:
                model_create(actor=actor, instance=NameVariant(participant=updated, name=variant))
    rebuild_name_keys(updated)
    registration_changed(updated)
    refresh_eligibility(updated)
    # German level, postcode and town are read by matching (docs/decisions/0038).
    refresh_for_participant(updated.pk)
    return updated


@transaction.atomic
def residence_status_add(*, actor: User, status: ResidenceStatus) -> ResidenceStatus:
    model_create(actor=actor, instance=status)
    refresh_current_status(status.participant)
    refresh_eligibility(status.participant)
    return status


@transaction.atomic
def residence_status_update(
    *, actor: User, status: ResidenceStatus, data: Mapping[str, Any]
) -> tuple[ResidenceStatus, list[str]]:
    """Corrects a recorded residence document (e.g. a re-imported spreadsheet row); the
    participant's current status and eligibility follow. Returns the changed field names."""
    updated, changed = model_update(actor=actor, instance=status, data=data)
    if changed:
        refresh_current_status(updated.participant)
        refresh_eligibility(updated.participant)
    return updated, changed


@transaction.atomic
def consent_record(
    *,
    actor: User,
    consent: Consent,
    shared_with: Iterable[Organisation] = (),
    scan: UploadedFile | None = None,
) -> Consent:
    """Records a consent; the scan (already validated by content) gets a random name."""
    consent.recorded_by = actor
    if scan is not None:
        consent.scan.save(safe_name(validate_scan(scan)), scan, save=False)
    model_create(actor=actor, instance=consent)
    partners = list(shared_with)
    if partners:
        consent.shared_with.set(partners)
    return consent


@transaction.atomic
def consent_revoke(*, actor: User, consent: Consent, on: datetime.date | None = None) -> Consent:
    """One action, effective at once: access checks read only unrevoked consents."""
    if consent.revoked_on is not None:
        raise ValidationError(_("This consent has already been revoked."))
    updated, _changed = model_update(
        actor=actor, instance=consent, data={"revoked_on": on or datetime.date.today(), "revoked_by": actor}
    )
    return updated
