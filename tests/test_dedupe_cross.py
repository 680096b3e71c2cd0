"""Across partners without sharing names: matching of the keyed encodings, the notice on
the participant page, and the decisions on it."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from bruecke.accounts.models import User
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.dedupe.crosspartner import services
from bruecke.dedupe.crosspartner.selectors import open_notices, registrations_counted_elsewhere
from bruecke.dedupe.crosspartner.services import rebuild_encodings
from bruecke.dedupe.models import CrossMatchStatus, CrossPartnerEncoding, CrossPartnerMatch
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Organisation, Team
from bruecke.participants import services as participant_services
from bruecke.participants.models import Gender, Participant
from tests.clients import verified_client

pytestmark = pytest.mark.django_db


def _demo_pair(demo: DemoNetwork) -> tuple[Participant, Participant]:
    """The demo's one person registered at partner A (Mohammed Al-Hassan, 07.03.1994) and
    at partner B (Muhammad Alhasan, 03.1994)."""
    at_a = Participant.objects.get(organisation=demo.partners["A"], family_name="Al-Hassan")
    at_b = Participant.objects.get(organisation=demo.partners["B"], family_name="Alhasan")
    return at_a, at_b


def _match(a: Participant, b: Participant) -> CrossPartnerMatch:
    return CrossPartnerMatch.objects.get(first_id=min(a.pk, b.pk), second_id=max(a.pk, b.pk))


def _register(
    demo: DemoNetwork,
    given: str,
    family: str,
    born: tuple[int, int | None, int | None],
    *,
    organisation: Organisation,
    team: Team | None,
    gender: str = Gender.MALE,
) -> Participant:
    year, month, day = born
    participant = Participant(
        organisation=organisation,
        team=team,
        given_names=given,
        family_name=family,
        birth_year=year,
        birth_month=month,
        birth_day=day,
        gender=gender,
        nationality="SY",
        country_of_birth="SY",
        entry_date=datetime.date(2026, 1, 5),
    )
    return participant_services.participant_create(actor=demo.users["cm_a"], participant=participant)


def test_the_demo_person_registered_at_two_partners_has_an_open_match(demo: DemoNetwork) -> None:
    at_a, at_b = _demo_pair(demo)
    match = _match(at_a, at_b)
    assert match.status == CrossMatchStatus.OPEN and match.network_id == demo.network.pk
    # No other demo registration is reported: the demo counts stay as they were.
    assert CrossPartnerMatch.objects.count() == 1
    assert CrossPartnerEncoding.objects.filter(participant=at_a).exists()


def test_registrations_of_one_organisation_or_of_another_network_are_never_matched(demo: DemoNetwork) -> None:
    twin_record = _register(
        demo,
        "Mohammed",
        "Al-Hassan",
        (1994, 3, 7),
        organisation=demo.partners["A"],
        team=demo.teams["Rostock"],
    )
    ruppin = Organisation.objects.filter(network=demo.second_network).first()
    assert ruppin is not None
    elsewhere = _register(demo, "Mohammed", "Al-Hassan", (1994, 3, 7), organisation=ruppin, team=None)
    involved = CrossPartnerMatch.objects.filter(
        first__in=[twin_record, elsewhere]
    ) | CrossPartnerMatch.objects.filter(second__in=[twin_record, elsewhere])
    # The second registration at A matches B's (another partner), never A's own or Ruppin's.
    partners = {
        frozenset((m.first.organisation_id, m.second.organisation_id))
        for m in involved.select_related("first", "second")
    }
    assert partners == {frozenset((demo.partners["A"].pk, demo.partners["B"].pk))}
    assert CrossPartnerEncoding.objects.get(participant=elsewhere).network_id == demo.second_network.pk


def test_both_sides_see_only_the_other_organisations_name(demo: DemoNetwork) -> None:
    at_a, at_b = _demo_pair(demo)
    page_a = verified_client(demo.users["cm_a"]).get(reverse("participants:detail", args=[at_a.pk]))
    page_b = verified_client(demo.users["cm_b"]).get(reverse("participants:detail", args=[at_b.pk]))
    assert f"möglicherweise bereits bei Partner {demo.partners['B'].name} registriert" in page_a.text
    assert f"möglicherweise bereits bei Partner {demo.partners['A'].name} registriert" in page_b.text
    # Nothing of A's record reaches B: not the spelling, the date, the id or a link to it.
    for secret in ("Mohammed", "Al-Hassan", "07.03.1994", f"/participants/{at_a.pk}/"):
        assert secret not in page_b.text
    match = _match(at_a, at_b)
    assert reverse("dedupe:cross_confirm", args=[at_b.pk, match.pk]) in page_b.text
    assert reverse("participants:consent_create", args=[at_b.pk]) in page_b.text


def test_the_notice_reads_one_query(demo: DemoNetwork, django_assert_num_queries: Any) -> None:
    at_a, _at_b = _demo_pair(demo)
    at_a = Participant.objects.select_related("organisation").get(pk=at_a.pk)
    with django_assert_num_queries(1):
        notices = open_notices(at_a)
    assert [n.organisation_name for n in notices] == [demo.partners["B"].name]


def test_confirming_is_audited_at_the_acting_side_and_ends_the_notice_on_both(demo: DemoNetwork) -> None:
    at_a, at_b = _demo_pair(demo)
    match = _match(at_a, at_b)
    response = verified_client(demo.users["cm_b"]).post(
        reverse("dedupe:cross_confirm", args=[at_b.pk, match.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("participants:detail", args=[at_b.pk]) + "#cross-partner"
    match.refresh_from_db()
    assert match.status == CrossMatchStatus.CONFIRMED
    event = AuditEvent.objects.filter(object_type="dedupe.crosspartnermatch", object_id=str(match.pk)).get()
    assert event.action == AuditAction.UPDATE and event.actor == demo.users["cm_b"]
    assert event.organisation_id == demo.partners["B"].pk and event.changed_fields == ["status"]
    assert open_notices(at_a) == [] and open_notices(at_b) == []
    # A confirmed match stays confirmed when a registration changes again.
    participant_services.participant_update(
        actor=demo.users["cm_a"], participant=at_a, data={"town": "Rostock"}
    )
    match.refresh_from_db()
    assert match.status == CrossMatchStatus.CONFIRMED


def test_a_dismissed_match_is_never_proposed_again(demo: DemoNetwork) -> None:
    at_a, at_b = _demo_pair(demo)
    match = _match(at_a, at_b)
    response = verified_client(demo.users["cm_a"]).post(
        reverse("dedupe:cross_dismiss", args=[at_a.pk, match.pk])
    )
    assert response.status_code == 302
    participant_services.participant_update(actor=demo.users["cm_a"], participant=at_a, data={"birth_day": 8})
    participant_services.participant_update(actor=demo.users["cm_a"], participant=at_a, data={"birth_day": 7})
    rebuild_encodings()
    match.refresh_from_db()
    assert match.status == CrossMatchStatus.DISMISSED
    assert CrossPartnerMatch.objects.filter(status=CrossMatchStatus.OPEN).count() == 0


def test_an_open_match_the_changed_registration_no_longer_reaches_is_withdrawn(demo: DemoNetwork) -> None:
    at_a, at_b = _demo_pair(demo)
    participant_services.participant_update(
        actor=demo.users["cm_a"], participant=at_b, data={"birth_year": 1971}
    )
    assert not CrossPartnerMatch.objects.filter(first=min(at_a.pk, at_b.pk)).exists()
    participant_services.participant_update(
        actor=demo.users["cm_a"], participant=at_b, data={"birth_year": 1994}
    )
    assert _match(at_a, at_b).status == CrossMatchStatus.OPEN


@pytest.mark.parametrize("key", ["po_a", "user_c", "coordinator", "dpo", "cm_b"])
def test_who_may_not_edit_the_registration_cannot_decide(
    key: str, demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    at_a, at_b = _demo_pair(demo)
    match = _match(at_a, at_b)
    client = verified_client(persona(key))
    for name in ("dedupe:cross_confirm", "dedupe:cross_dismiss"):
        assert client.post(reverse(name, args=[at_a.pk, match.pk])).status_code == 404
    match.refresh_from_db()
    assert match.status == CrossMatchStatus.OPEN


def test_a_match_of_another_registration_cannot_be_decided_through_one_of_ones_own(demo: DemoNetwork) -> None:
    at_a, at_b = _demo_pair(demo)
    match = _match(at_a, at_b)
    olena = Participant.objects.get(organisation=demo.partners["A"], family_name="Schewtschenko")
    client = verified_client(demo.users["cm_a"])
    assert client.post(reverse("dedupe:cross_confirm", args=[olena.pk, match.pk])).status_code == 404
    assert client.get(reverse("dedupe:cross_confirm", args=[at_a.pk, match.pk])).status_code == 405


def test_a_reader_without_edit_rights_sees_the_notice_without_actions(demo: DemoNetwork) -> None:
    at_a, at_b = _demo_pair(demo)
    page = verified_client(demo.users["po_a"]).get(reverse("participants:detail", args=[at_a.pk]))
    assert demo.partners["B"].name in page.text
    assert reverse("dedupe:cross_confirm", args=[at_a.pk, _match(at_a, at_b).pk]) not in page.text


def test_the_rebuild_command_re_encodes_everything_and_finds_the_matches_again(
    demo: DemoNetwork, capsys: pytest.CaptureFixture[str]
) -> None:
    CrossPartnerEncoding.objects.all().delete()
    CrossPartnerMatch.objects.all().delete()
    call_command("dedupe_rebuild_encodings")
    assert (
        CrossPartnerEncoding.objects.count() == Participant.objects.filter(merged_into__isnull=True).count()
    )
    at_a, at_b = _demo_pair(demo)
    assert _match(at_a, at_b).status == CrossMatchStatus.OPEN
    assert "1 open matches" in capsys.readouterr().out


def test_a_confirmed_person_is_counted_once_among_the_registrations_of_a_report(demo: DemoNetwork) -> None:
    at_a, at_b = _demo_pair(demo)
    everyone = set(Participant.objects.values_list("pk", flat=True))
    assert registrations_counted_elsewhere(everyone) == set()  # open: still counted twice
    match = _match(at_a, at_b)
    services.match_decide(actor=demo.users["cm_a"], match=match, side=at_a, status=CrossMatchStatus.CONFIRMED)
    assert registrations_counted_elsewhere(everyone) == {max(at_a.pk, at_b.pk)}
    # A report of partner A alone counts its own registration.
    assert registrations_counted_elsewhere({at_a.pk}) == set()
