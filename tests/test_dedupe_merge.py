"""Merging two registrations of one person and undoing it: every record moves with real
rows of the demo (case, contacts, documents, consents, enrolments, …), refusals carry a
reason, and an undo moves back exactly what moved."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone, translation

from bruecke.cases.models import Case, CaseDocument, Contact
from bruecke.cases.services.cases import case_open
from bruecke.core.access import participant_filter
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.dedupe import merge as merging
from bruecke.dedupe.demo import seed_duplicates
from bruecke.dedupe.merge import merge_undo, participants_merge, relations
from bruecke.dedupe.models import BlockingKey, DuplicatePair, Merge, PairStatus
from bruecke.esf import services as esf_services
from bruecke.network.demo import DemoNetwork
from bruecke.participants import services
from bruecke.participants.models import Consent, Gender, NameVariant, Participant
from bruecke.participants.selectors import matching_names, participant_history


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The reasons are compared in English (their German text is checked on the pages)."""
    with translation.override("en"):
        yield


def _mohammed(demo: DemoNetwork) -> Participant:
    return Participant.objects.get(organisation=demo.partners["A"], family_name="Al-Hassan")


def _register(
    demo: DemoNetwork, given: str = "Mohamed", family: str = "Alhassan", **fields: Any
) -> Participant:
    values: dict[str, Any] = {
        "organisation": demo.partners["A"],
        "team": demo.teams["Rostock"],
        "given_names": given,
        "family_name": family,
        "birth_year": 1994,
        "birth_month": 3,
        "birth_day": 7,
        "gender": Gender.MALE,
        "nationality": "SY",
        "country_of_birth": "SY",
    }
    participant = Participant(**{**values, **fields})
    return services.participant_create(actor=demo.users["cm_a"], participant=participant)


def _pointing_to(participant: Participant) -> dict[str, set[int]]:
    """Every row of every moved relation that points to `participant`."""
    found = {}
    for relation in relations():
        pks = set(relation.rows(participant).values_list("pk", flat=True))
        if pks:
            found[relation.key] = pks
    return found


def test_relations_are_found_generically_and_leave_derived_rows_out() -> None:
    keys = {relation.key for relation in relations()}
    assert {
        "cases.case.participant",
        "participants.consent.participant",
        "participants.namevariant.participant",
        "participants.residencestatus.participant",
        "esf.entryrecord.participant",
        "esf.exitrecord.participant",
        "offers.enrolment.participant",
        "offers.referral.participant",
        "placement.placement.participant",
        "participants.participant.merged_into",
    } <= keys
    assert not {k for k in keys if k.startswith(("dedupe.", "participants.namekey"))}


def test_merge_moves_every_record_and_undo_moves_exactly_those_back(demo: DemoNetwork) -> None:
    mohammed = _mohammed(demo)
    newer = _register(demo)
    before = _pointing_to(mohammed)
    assert {"cases.case.participant", "participants.consent.participant"} <= set(before)
    contacts = Contact.objects.filter(case__participant=mohammed).count()
    documents = CaseDocument.objects.filter(case__participant=mohammed).count()
    assert contacts and documents  # the demo case has both

    actor = demo.users["team_lead"]
    merge = participants_merge(actor=actor, kept=newer, merged=mohammed)

    mohammed.refresh_from_db()
    assert mohammed.merged_into_id == newer.pk
    assert _pointing_to(mohammed) == {}  # nothing left behind
    after = _pointing_to(newer)
    for key, pks in before.items():
        assert pks <= after[key], key
    assert Contact.objects.filter(case__participant=newer).count() == contacts
    assert CaseDocument.objects.filter(case__participant=newer).count() == documents
    assert {k: set(v) for k, v in merge.moved.items() if not k.startswith("added:")} == before
    # The merged names are other spellings of the kept registration, found by search.
    spellings = set(NameVariant.objects.filter(participant=newer).values_list("name", flat=True))
    assert {"Mohammed Al-Hassan", "محمد الحسن"} <= spellings
    assert matching_names(Participant.objects.filter(pk=newer.pk), "Al-Hassan").exists()
    # The merged registration is gone from every view, and from candidate lookups.
    assert not Participant.objects.filter(participant_filter(demo.users["cm_a"]), pk=mohammed.pk).exists()
    assert not BlockingKey.objects.filter(participant=mohammed).exists()
    events = AuditEvent.objects.filter(action=AuditAction.MERGE, object_type="participants.participant")
    assert set(events.values_list("object_id", flat=True)) == {str(mohammed.pk), str(newer.pk)}
    assert merge.undo_until == timezone.localdate() + datetime.timedelta(days=30)

    # A record made after the merge stays where it was made.
    late = Consent.objects.filter(participant=newer).first()
    assert late is not None

    merge_undo(actor=actor, merge=merge)
    mohammed.refresh_from_db()
    assert mohammed.merged_into_id is None
    assert _pointing_to(mohammed) == before
    assert not NameVariant.objects.filter(participant=newer, name="Mohammed Al-Hassan").exists()
    assert BlockingKey.objects.filter(participant=mohammed).exists()
    assert AuditEvent.objects.filter(action=AuditAction.MERGE_UNDONE, object_id=str(mohammed.pk)).exists()
    merge.refresh_from_db()
    assert merge.undone_by == actor


def test_undo_leaves_records_made_after_the_merge_with_the_kept_registration(demo: DemoNetwork) -> None:
    kept, merged = _register(demo, "Amir", "Karimi"), _register(demo, "Ameer", "Karimy")
    merge = participants_merge(actor=demo.users["team_lead"], kept=kept, merged=merged)
    later = case_open(
        actor=demo.users["cm_a"],
        case=Case(participant=kept, team=demo.teams["Rostock"], case_manager=demo.users["cm_a"]),
    )
    merge_undo(actor=demo.users["team_lead"], merge=merge)
    later.refresh_from_db()
    assert later.participant_id == kept.pk


def test_the_merged_registrations_history_shows_on_the_kept_one(demo: DemoNetwork) -> None:
    kept, merged = _register(demo, "Amir", "Karimi"), _register(demo, "Ameer", "Karimy")
    participants_merge(actor=demo.users["team_lead"], kept=kept, merged=merged)
    ids = set(participant_history(kept).values_list("object_id", flat=True))
    assert {str(kept.pk), str(merged.pk)} <= ids


def test_the_pair_is_marked_merged_and_open_again_after_undo(demo: DemoNetwork) -> None:
    seed_duplicates(demo)
    pair = DuplicatePair.objects.filter(organisation=demo.partners["A"]).order_by("-weight").first()
    assert pair is not None
    merge = participants_merge(actor=demo.users["dpo"], kept=pair.first, merged=pair.second, pair=pair)
    pair.refresh_from_db()
    assert (pair.status, pair.decided_by) == (PairStatus.MERGED, demo.users["dpo"])
    merge_undo(actor=demo.users["dpo"], merge=merge)
    pair.refresh_from_db()
    assert pair.status == PairStatus.OPEN


# --- refusals, each with its reason ---


def _refusal(demo: DemoNetwork, kept: Participant, merged: Participant) -> str:
    with pytest.raises(ValidationError) as raised:
        participants_merge(actor=demo.users["team_lead"], kept=kept, merged=merged)
    return " ".join(raised.value.messages)


def test_refused_for_registrations_of_different_organisations(demo: DemoNetwork) -> None:
    other = Participant.objects.get(organisation=demo.partners["B"], family_name="Alhasan")
    assert "same organisation" in _refusal(demo, _mohammed(demo), other)
    assert not Merge.objects.exists()


def test_refused_for_the_same_registration_twice(demo: DemoNetwork) -> None:
    mohammed = _mohammed(demo)
    assert "itself" in _refusal(demo, mohammed, mohammed)


def test_refused_when_one_is_already_merged(demo: DemoNetwork) -> None:
    a, b, c = (
        _register(demo, "Amir", "Karimi"),
        _register(demo, "Ameer", "Karimy"),
        _register(demo, "Amir", "K"),
    )
    participants_merge(actor=demo.users["team_lead"], kept=a, merged=b)
    b.refresh_from_db()
    assert "already been merged" in _refusal(demo, c, b)


def test_refused_when_two_open_cases_would_remain(demo: DemoNetwork) -> None:
    mohammed, newer = _mohammed(demo), _register(demo)
    case_open(
        actor=demo.users["cm_a"],
        case=Case(participant=newer, team=demo.teams["Rostock"], case_manager=demo.users["cm_a"]),
    )
    reason = _refusal(demo, newer, mohammed)
    assert "open case" in reason and "Close the case" in reason
    assert Case.objects.filter(participant=mohammed).exists()  # nothing moved


def test_refused_when_both_have_an_esf_entry(demo: DemoNetwork) -> None:
    a, b = _register(demo, "Amir", "Karimi"), _register(demo, "Ameer", "Karimy")
    for person in (a, b):
        esf_services.entry_record_save(
            actor=demo.users["cm_a"],
            participant=person,
            data={"lm_status_entry": "inactive", "isced_level": 2},
        )
    reason = _refusal(demo, a, b)
    assert "ESF entry questionnaire" in reason and "earliest entry" in reason and "delete the other" in reason


def test_one_esf_entry_moves_and_stays_one_per_person(demo: DemoNetwork) -> None:
    a, b = _register(demo, "Amir", "Karimi"), _register(demo, "Ameer", "Karimy")
    record = esf_services.entry_record_save(
        actor=demo.users["cm_a"], participant=b, data={"lm_status_entry": "inactive", "isced_level": 2}
    )
    participants_merge(actor=demo.users["team_lead"], kept=a, merged=b)
    record.refresh_from_db()
    assert record.participant_id == a.pk


def test_refused_when_both_are_enrolled_in_the_same_group_offer(demo: DemoNetwork) -> None:
    from bruecke.offers.models import Enrolment

    enrolment = Enrolment.objects.filter(participant__organisation=demo.partners["A"]).first()
    assert enrolment is not None, "the demo enrols participants of partner A in a group offer"
    holder = enrolment.participant
    twin = _register(demo, "Zweit", "Anmeldung")
    Enrolment.objects.create(
        offer=enrolment.offer,
        organisation=enrolment.organisation,
        case=enrolment.case,
        participant=twin,
        enrolled_on=datetime.date.today(),
    )
    Case.objects.filter(participant=holder).update(status="closed")  # leave only the enrolment rule
    reason = _refusal(demo, holder, twin)
    assert "only once per person" in reason
    assert Enrolment.objects.filter(participant=twin).count() == 1


# --- undo deadline ---


@override_settings(BRUECKE_MERGE_UNDO_DAYS=3)
def test_undo_is_refused_after_the_deadline(demo: DemoNetwork) -> None:
    kept, merged = _register(demo, "Amir", "Karimi"), _register(demo, "Ameer", "Karimy")
    merge = participants_merge(actor=demo.users["team_lead"], kept=kept, merged=merged)
    assert merge.undo_until == timezone.localdate() + datetime.timedelta(days=3)
    Merge.objects.filter(pk=merge.pk).update(undo_until=timezone.localdate() - datetime.timedelta(days=1))
    merge.refresh_from_db()
    with pytest.raises(ValidationError, match="no longer be undone"):
        merge_undo(actor=demo.users["team_lead"], merge=merge)
    merged.refresh_from_db()
    assert merged.merged_into_id == kept.pk


def test_undo_twice_is_refused(demo: DemoNetwork) -> None:
    kept, merged = _register(demo, "Amir", "Karimi"), _register(demo, "Ameer", "Karimy")
    merge = participants_merge(actor=demo.users["team_lead"], kept=kept, merged=merged)
    merge_undo(actor=demo.users["team_lead"], merge=merge)
    with pytest.raises(ValidationError, match="already been undone"):
        merge_undo(actor=demo.users["team_lead"], merge=merge)


def test_undo_is_refused_while_the_kept_registration_is_merged_into_a_third(demo: DemoNetwork) -> None:
    a, b, c = (
        _register(demo, "Amir", "Karimi"),
        _register(demo, "Ameer", "Karimy"),
        _register(demo, "Amir", "K"),
    )
    first = participants_merge(actor=demo.users["team_lead"], kept=b, merged=a)
    participants_merge(actor=demo.users["team_lead"], kept=c, merged=b)
    first.refresh_from_db()
    with pytest.raises(ValidationError, match="Undo that merge first"):
        merge_undo(actor=demo.users["team_lead"], merge=first)
    a.refresh_from_db()
    assert a.merged_into_id == c.pk  # the earlier merge's registration followed to the third


def test_merging_into_a_registration_records_nothing_when_there_is_nothing_to_move(demo: DemoNetwork) -> None:
    kept = _register(demo, "Amir", "Karimi")
    merged = Participant.objects.create(
        organisation=demo.partners["A"],
        given_names="Amir",
        family_name="Karimi",
        birth_year=1994,
        gender="male",
    )
    merge = participants_merge(actor=demo.users["team_lead"], kept=kept, merged=merged)
    assert merge.moved == {}
    assert merging.undo_refusal(merge) is None
