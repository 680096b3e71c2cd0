"""Closed-loop referrals: the lifecycle (every allowed and refused move), feedback dates and
overdue, dates, the summary handover under consent, the partner's side, scope and the pages."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client, override_settings
from django.urls import reverse

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseEvent, CaseStatus, EventKind
from bruecke.core.locking import EditConflict
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.offers.models import (
    ALLOWED_NEXT,
    FINAL_STATUSES,
    Measure,
    MeasureKind,
    Provider,
    ProviderKind,
    Referral,
    ReferralStatus,
    ReferralStep,
)
from bruecke.offers.services import referrals as services
from bruecke.participants.models import Consent, ConsentMethod, ConsentPurpose
from bruecke.participants.services import consent_revoke
from tests.audit_reads import read_ids
from tests.expectations_cases import _case

S = ReferralStatus
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
DAYS = datetime.timedelta(days=14)


@pytest.fixture
def case(demo: DemoNetwork) -> Case:
    return _case(demo)


@pytest.fixture
def anna(persona: Callable[[str], User]) -> User:
    return persona("cm_a")


def _measure(
    demo: DemoNetwork, *, partner: str | None = None, kind: str = MeasureKind.QUALIFICATION
) -> Measure:
    owner = demo.partners["A"]
    provider = Provider.objects.create(
        organisation=owner,
        kind=ProviderKind.NETWORK_PARTNER if partner else ProviderKind.OTHER,
        name=f"Testträger {partner or 'extern'}",
        town="Rostock",
        partner=demo.partners[partner] if partner else None,
    )
    return Measure.objects.create(organisation=owner, provider=provider, kind=kind, title=f"Maßnahme {kind}")


def _refer(anna: User, case: Case, measure: Measure, on: datetime.date | None = None, **kw: Any) -> Referral:
    return services.referral_create(actor=anna, case=case, measure=measure, on=on or case.opened_on, **kw)


def _at(referral: Referral, status: str, on: datetime.date) -> Referral:
    Referral.objects.filter(pk=referral.pk).update(status=status, status_on=on)
    referral.refresh_from_db()
    return referral


def _sharing(demo: DemoNetwork, case: Case, anna: User, partner: str = "B") -> Consent:
    consent = Consent.objects.create(
        participant=case.participant,
        purpose=ConsentPurpose.SHARING,
        given_on=case.opened_on,
        method=ConsentMethod.ON_SCREEN,
        sheet_version="1",
        sheet_language="de",
        recorded_by=anna,
    )
    consent.shared_with.set([demo.partners[partner]])
    return consent


# --- feedback dates and overdue -------------------------------------------------------------


def test_feedback_due_after_each_kind_of_step() -> None:
    on = datetime.date(2026, 3, 2)
    start, end = datetime.date(2026, 4, 1), datetime.date(2026, 9, 30)
    assert services.feedback_due(S.SUGGESTED, on) is None
    assert services.feedback_due(S.REFERRED, on) == on + DAYS
    assert services.feedback_due(S.WAITING_LIST, on) == on + DAYS
    assert services.feedback_due(S.ACCEPTED, on) == on + DAYS
    assert services.feedback_due(S.ACCEPTED, on, expected_start_on=start) == start + DAYS
    assert services.feedback_due(S.STARTED, on, planned_end_on=end) == end + DAYS
    # Started without a planned end: nothing awaited (decision 0045).
    assert services.feedback_due(S.STARTED, on) is None
    for status in FINAL_STATUSES:
        assert services.feedback_due(status, on, expected_start_on=start, planned_end_on=end) is None


@override_settings(OFFERS_REFERRAL_FEEDBACK_DAYS=3)
def test_feedback_days_come_from_the_setting() -> None:
    on = datetime.date(2026, 3, 2)
    assert services.feedback_due(S.REFERRED, on) == datetime.date(2026, 3, 5)


def test_overdue_is_open_and_past_the_feedback_date(demo: DemoNetwork, anna: User, case: Case) -> None:
    referral = _refer(anna, case, _measure(demo), on=TODAY - 20 * DAY)
    assert referral.feedback_due_on == TODAY - 6 * DAY
    assert services.is_overdue(referral, TODAY)
    assert not services.is_overdue(referral, TODAY - 6 * DAY)  # due today: not yet overdue
    referral.feedback_due_on = TODAY
    assert not services.is_overdue(referral, TODAY)
    referral.feedback_due_on, referral.status = TODAY - 30 * DAY, S.COMPLETED
    assert not services.is_overdue(referral, TODAY)


def test_recording_the_answer_ends_the_overdue_state(demo: DemoNetwork, anna: User, case: Case) -> None:
    referral = _refer(anna, case, _measure(demo), on=TODAY - 20 * DAY)
    assert services.is_overdue(referral, TODAY)
    referral = services.referral_step(
        actor=anna, referral=referral, status=S.ACCEPTED, on=TODAY, expected_start_on=TODAY + 30 * DAY
    )
    assert referral.feedback_due_on == TODAY + 30 * DAY + DAYS
    assert not services.is_overdue(referral, TODAY)
    referral = services.referral_step(actor=anna, referral=referral, status=S.STARTED, on=TODAY)
    assert referral.started_on == TODAY and referral.feedback_due_on is None
    referral = services.referral_step(actor=anna, referral=referral, status=S.COMPLETED, on=TODAY)
    assert referral.ended_on == TODAY and referral.feedback_due_on is None


# --- the lifecycle --------------------------------------------------------------------------


@pytest.mark.parametrize("current", list(S))
def test_every_move_follows_allowed_next(demo: DemoNetwork, anna: User, case: Case, current: S) -> None:
    """Property over the whole table: from each status, exactly the moves in ALLOWED_NEXT
    succeed; every other is refused with a message at the status and nothing is written."""
    measure = _measure(demo)
    for target in S:
        referral = _at(_refer(anna, case, measure, on=TODAY - 5 * DAY), current, TODAY - 5 * DAY)
        steps = ReferralStep.objects.filter(referral=referral).count()
        events = CaseEvent.objects.filter(case=case, kind=EventKind.REFERRAL).count()
        if target in ALLOWED_NEXT[current]:
            moved = services.referral_step(actor=anna, referral=referral, status=target, on=TODAY)
            assert moved.status == target and moved.status_on == TODAY
            assert ReferralStep.objects.filter(referral=referral).count() == steps + 1
            assert CaseEvent.objects.filter(case=case, kind=EventKind.REFERRAL).count() == events + 1
        else:
            with pytest.raises(ValidationError) as error:
                services.referral_step(actor=anna, referral=referral, status=target, on=TODAY)
            assert "status" in error.value.message_dict
            referral.refresh_from_db()
            assert referral.status == current
            assert ReferralStep.objects.filter(referral=referral).count() == steps


def test_final_statuses_have_no_successor_and_an_unknown_status_is_refused(
    demo: DemoNetwork, anna: User, case: Case
) -> None:
    assert {S.COMPLETED, S.DROPPED_OUT, S.REJECTED} == FINAL_STATUSES
    referral = _refer(anna, case, _measure(demo))
    with pytest.raises(ValidationError) as error:
        services.referral_step(actor=anna, referral=referral, status="teleported", on=TODAY)
    assert "status" in error.value.message_dict


def test_a_referral_starts_suggested_or_referred_only(demo: DemoNetwork, anna: User, case: Case) -> None:
    measure = _measure(demo)
    suggested = _refer(anna, case, measure, status=S.SUGGESTED)
    assert suggested.referred_on is None and suggested.feedback_due_on is None
    with pytest.raises(ValidationError) as error:
        _refer(anna, case, measure, status=S.STARTED)
    assert "status" in error.value.message_dict
    sent = services.referral_step(actor=anna, referral=suggested, status=S.REFERRED, on=TODAY)
    assert sent.referred_on == TODAY and sent.feedback_due_on == TODAY + DAYS


# --- dates ----------------------------------------------------------------------------------


def test_step_dates_not_in_the_future_nor_before_the_previous_step(
    demo: DemoNetwork, anna: User, case: Case
) -> None:
    referral = _refer(anna, case, _measure(demo), on=TODAY - 3 * DAY)
    with pytest.raises(ValidationError) as error:
        services.referral_step(actor=anna, referral=referral, status=S.ACCEPTED, on=TODAY + DAY)
    assert "on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.referral_step(actor=anna, referral=referral, status=S.ACCEPTED, on=TODAY - 4 * DAY)
    assert f"{TODAY - 3 * DAY:%d.%m.%Y}" in error.value.message_dict["on"][0]  # the previous step's date
    with pytest.raises(ValidationError):
        _refer(anna, case, _measure(demo), on=case.opened_on - DAY)
    assert ReferralStep.objects.filter(referral=referral).count() == 1


def test_planned_dates_may_lie_ahead_but_the_end_not_before_the_start(
    demo: DemoNetwork, anna: User, case: Case
) -> None:
    referral = _refer(anna, case, _measure(demo), on=TODAY - 3 * DAY, expected_start_on=TODAY + 10 * DAY)
    with pytest.raises(ValidationError) as error:
        services.referral_step(
            actor=anna, referral=referral, status=S.ACCEPTED, on=TODAY, planned_end_on=TODAY + 5 * DAY
        )
    assert "planned_end_on" in error.value.message_dict
    referral.refresh_from_db()
    assert referral.status == S.REFERRED and referral.planned_end_on is None
    moved = services.referral_step(
        actor=anna, referral=referral, status=S.ACCEPTED, on=TODAY, planned_end_on=TODAY + 90 * DAY
    )
    assert moved.planned_end_on == TODAY + 90 * DAY
    with pytest.raises(ValidationError) as error:
        services.referral_step(
            actor=anna, referral=moved, status=S.STARTED, on=TODAY, planned_end_on=TODAY - DAY
        )
    assert "planned_end_on" in error.value.message_dict


def test_an_outdated_version_is_a_conflict(demo: DemoNetwork, anna: User, case: Case) -> None:
    referral = _refer(anna, case, _measure(demo), on=TODAY - DAY)
    loaded = referral.version
    services.referral_step(
        actor=anna, referral=referral, status=S.ACCEPTED, on=TODAY, expected_version=loaded
    )
    with pytest.raises(EditConflict):
        services.referral_step(
            actor=anna, referral=referral, status=S.STARTED, on=TODAY, expected_version=loaded
        )


# --- writes: copies, timeline, audit, scope -------------------------------------------------


def test_create_copies_the_case_and_partner_and_writes_step_timeline_and_audit(
    demo: DemoNetwork, anna: User, case: Case
) -> None:
    measure = _measure(demo, partner="B")
    referral = _refer(anna, case, measure, note="Bitte zeitnah")
    assert (referral.participant_id, referral.team_id, referral.organisation_id) == (
        case.participant_id,
        case.team_id,
        case.organisation_id,
    )
    assert referral.to_organisation_id == demo.partners["B"].pk
    step = ReferralStep.objects.get(referral=referral)
    assert (step.status, step.note, step.by_partner) == (S.REFERRED, "Bitte zeitnah", False)
    event = CaseEvent.objects.get(case=case, kind=EventKind.REFERRAL, object_id=str(referral.pk))
    assert event.details == {"status": "referred", "by_partner": False}
    assert "zeitnah" not in str(event.details)
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="offers.referral", object_id=str(referral.pk)
    ).exists()


def test_out_of_scope_is_404_and_a_closed_case_is_refused(
    demo: DemoNetwork, anna: User, case: Case, persona: Callable[[str], User]
) -> None:
    measure = _measure(demo)
    with pytest.raises(Http404):
        _refer(persona("cm_b"), case, measure)
    with pytest.raises(Http404):  # the coordinator sees the catalogue, not the case
        _refer(persona("coordinator"), case, measure)
    referral = _refer(anna, case, measure)
    with pytest.raises(Http404):
        services.referral_step(actor=persona("user_c"), referral=referral, status=S.ACCEPTED, on=TODAY)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    with pytest.raises(ValidationError) as error:
        _refer(anna, case, measure)
    assert "measure" in error.value.message_dict


# --- summary handover and the partner's side ------------------------------------------------


def test_no_consent_no_summary(demo: DemoNetwork, anna: User, case: Case) -> None:
    with pytest.raises(ValidationError) as error:
        _refer(anna, case, _measure(demo, partner="B"), summary="Kurz zur Person")
    assert "summary" in error.value.message_dict
    assert not Referral.objects.filter(case=case, measure__provider__partner__isnull=False).exists()
    # A consent for another partner does not cover partner B.
    _sharing(demo, case, anna, partner="C")
    with pytest.raises(ValidationError):
        _refer(anna, case, _measure(demo, partner="B"), summary="Kurz zur Person")
    # A provider that is no partner in Brücke gets no summary either.
    with pytest.raises(ValidationError):
        _refer(anna, case, _measure(demo), summary="Kurz zur Person")


def test_summary_under_consent_is_seen_by_the_partner_until_revoked(
    demo: DemoNetwork, anna: User, case: Case, login: Callable[[str], Client]
) -> None:
    consent = _sharing(demo, case, anna)
    referral = _refer(anna, case, _measure(demo, partner="B"), summary="Schläft schlecht seit der Flucht")
    assert referral.summary_consent_id == consent.pk and services.summary_visible(referral)
    url = reverse("offers:referral_incoming_detail", args=[referral.pk])
    leyla = login("cm_b")
    assert "Schläft schlecht" in leyla.get(url).content.decode()
    consent_revoke(actor=anna, consent=consent, on=TODAY)
    page = leyla.get(url).content.decode()
    assert "Schläft schlecht" not in page
    assert not services.summary_visible(referral)


def test_the_form_offers_the_summary_only_under_consent(
    demo: DemoNetwork, anna: User, case: Case, login: Callable[[str], Client]
) -> None:
    url = reverse("offers:referral_create", args=[case.pk])
    client = login("cm_a")
    assert 'name="summary"' not in client.get(url).content.decode()
    measure = _measure(demo, partner="B")
    response = client.post(
        url, {"measure": measure.pk, "status": "referred", "on": f"{TODAY:%d.%m.%Y}", "summary": "x"}
    )
    assert response.status_code == 400
    assert "consented" in response.content.decode() or "zugestimmt" in response.content.decode()
    assert not Referral.objects.filter(case=case, measure__provider__partner__isnull=False).exists()
    _sharing(demo, case, anna)
    assert 'name="summary"' in client.get(url).content.decode()


def test_partner_records_feedback_sees_no_case_and_no_notes_of_the_referring_side(
    demo: DemoNetwork, anna: User, case: Case, login: Callable[[str], Client], persona: Callable[[str], User]
) -> None:
    referral = _refer(anna, case, _measure(demo, partner="B"), on=TODAY - 2 * DAY, note="Interne Notiz Anna")
    leyla = login("cm_b")
    listing = leyla.get(reverse("offers:referral_incoming")).content.decode()
    assert case.participant.family_name in listing
    url = reverse("offers:referral_incoming_detail", args=[referral.pk])
    page = leyla.get(url).content.decode()
    assert "Interne Notiz Anna" not in page
    assert reverse("cases:detail", args=[case.pk]) not in page
    version = Referral.objects.get(pk=referral.pk).version
    response = leyla.post(
        url, {"status": "accepted", "on": f"{TODAY:%d.%m.%Y}", "note": "Platz frei", "version": version}
    )
    assert response.status_code == 302
    step = ReferralStep.objects.filter(referral=referral).latest("pk")
    assert (step.status, step.by_partner, step.recorded_by) == (S.ACCEPTED, True, persona("cm_b"))
    # The partner cannot send, suggest or reach a referral that is not its own.
    with pytest.raises(ValidationError):
        services.referral_feedback(actor=persona("cm_b"), referral=referral, status=S.REFERRED, on=TODAY)
    with pytest.raises(Http404):
        services.referral_feedback(actor=persona("user_c"), referral=referral, status=S.STARTED, on=TODAY)
    assert login("user_c").get(url).status_code == 404
    # The referring side sees the partner's answer and its note.
    detail = login("cm_a").get(reverse("offers:referral_detail", args=[referral.pk])).content.decode()
    assert "Platz frei" in detail


def test_a_suggestion_does_not_reach_the_partner(
    demo: DemoNetwork, anna: User, case: Case, login: Callable[[str], Client]
) -> None:
    referral = _refer(anna, case, _measure(demo, partner="B"), status=S.SUGGESTED)
    assert (
        login("cm_b").get(reverse("offers:referral_incoming_detail", args=[referral.pk])).status_code == 404
    )


# --- pages ----------------------------------------------------------------------------------


def test_refer_from_the_case_page_and_record_steps(
    demo: DemoNetwork, case: Case, login: Callable[[str], Client]
) -> None:
    client = login("cm_a")
    section = client.get(reverse("cases:detail", args=[case.pk]) + "?section=offers").content.decode()
    assert reverse("offers:referral_create", args=[case.pk]) in section
    measure = _measure(demo)
    response = client.post(
        reverse("offers:referral_create", args=[case.pk]),
        {"measure": measure.pk, "status": "referred", "on": f"{TODAY:%d.%m.%Y}", "note": ""},
    )
    assert response.status_code == 302
    referral = Referral.objects.get(case=case, measure=measure)
    step_url = reverse("offers:referral_step", args=[referral.pk])
    # Bad input: an impossible jump, shown beside the field, nothing saved.
    bad = client.post(
        step_url, {"status": "completed", "on": f"{TODAY:%d.%m.%Y}", "version": referral.version}
    )
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == S.REFERRED
    ok = client.post(step_url, {"status": "accepted", "on": f"{TODAY:%d.%m.%Y}", "version": referral.version})
    assert ok.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == S.ACCEPTED


def test_the_detail_offers_only_the_allowed_next_statuses(
    demo: DemoNetwork, anna: User, case: Case, login: Callable[[str], Client]
) -> None:
    referral = _at(_refer(anna, case, _measure(demo)), S.ACCEPTED, TODAY)
    page = login("cm_a").get(reverse("offers:referral_detail", args=[referral.pk])).content.decode()
    assert 'value="started"' in page and 'value="dropped_out"' in page
    assert 'value="completed"' not in page and 'value="referred"' not in page


def test_the_list_filters_and_puts_overdue_first(
    demo: DemoNetwork, anna: User, case: Case, login: Callable[[str], Client]
) -> None:
    Referral.objects.all().delete()
    late = _refer(anna, case, _measure(demo, kind=MeasureKind.LEGAL_AID), on=TODAY - 20 * DAY)
    fresh = _refer(anna, case, _measure(demo, kind=MeasureKind.QUALIFICATION), on=TODAY)
    done = _at(_refer(anna, case, _measure(demo, kind=MeasureKind.CHILDCARE)), S.COMPLETED, TODAY)
    client = login("cm_a")
    url = reverse("offers:referral_list")

    def ids(query: str) -> list[int]:
        return [r.pk for r in client.get(url + query).context["page"]]

    assert ids("") == [late.pk, fresh.pk]
    assert ids("?show=overdue") == [late.pk]
    assert ids("?show=final") == [done.pk]
    assert ids("?show=all&kind=qualification") == [fresh.pk]
    assert ids("?show=all&status=completed") == [done.pk]
    assert ids("?show=nonsense&kind=%00") == [late.pk, fresh.pk]  # bad filters: the defaults
    assert login("cm_b").get(url).context["page"].paginator.count == 0
    assert login("coordinator").get(url).status_code == 200


def _bulk(demo: DemoNetwork, anna: User, case: Case, n: int, to: str | None = None) -> None:
    measure = _measure(demo, partner=to)
    Referral.objects.bulk_create(
        Referral(
            case=case,
            participant_id=case.participant_id,
            team_id=case.team_id,
            organisation_id=case.organisation_id,
            measure=measure,
            to_organisation=measure.provider.partner,
            status=S.REFERRED,
            status_on=TODAY - 30 * DAY,
            referred_on=TODAY - 30 * DAY,
            feedback_due_on=TODAY - (i % 20) * DAY,
            created_by=anna,
        )
        for i in range(n)
    )


@pytest.mark.parametrize(
    ("persona_key", "url_name", "to"),
    [("cm_a", "offers:referral_list", None), ("cm_b", "offers:referral_incoming", "B")],
)
def test_lists_have_a_constant_number_of_queries(
    demo: DemoNetwork,
    anna: User,
    case: Case,
    login: Callable[[str], Client],
    count_queries: Callable[..., Any],
    persona_key: str,
    url_name: str,
    to: str | None,
) -> None:
    client = login(persona_key)
    counts = []
    for n in (2, 40):
        _bulk(demo, anna, case, n, to)
        with count_queries() as ctx:
            assert client.get(reverse(url_name)).status_code == 200
        counts.append(ctx.count)
    assert counts[0] == counts[1]


def test_overdue_on_my_day_and_the_team_count_for_the_team_lead(
    demo: DemoNetwork, anna: User, case: Case, login: Callable[[str], Client]
) -> None:
    Referral.objects.all().delete()
    _refer(anna, case, _measure(demo), on=TODAY - 20 * DAY)
    _refer(anna, case, _measure(demo, kind=MeasureKind.CHILDCARE), on=TODAY)
    page = login("cm_a").get(reverse("core:dashboard")).content.decode()
    assert 'id="referrals-overdue-heading"' in page and "Maßnahme qualification" in page
    assert "Maßnahme childcare" not in page
    lead = login("team_lead").get(reverse("core:dashboard"))
    assert lead.context["referrals_overdue"]["team_count"] == 1
    assert reverse("offers:referral_list") + "?show=overdue" in lead.content.decode()
    assert read_ids("offers.referral")


def test_the_timeline_shows_the_referral_steps(
    demo: DemoNetwork, anna: User, case: Case, login: Callable[[str], Client]
) -> None:
    referral = _refer(anna, case, _measure(demo), on=TODAY - DAY)
    services.referral_step(actor=anna, referral=referral, status=S.WAITING_LIST, on=TODAY)
    page = login("cm_a").get(reverse("cases:timeline", args=[case.pk])).content.decode()
    assert "auf der Warteliste" in page or "on the waiting list" in page
    assert "?section=offers#offers-heading" in page


# --- figures for reports (SQL) --------------------------------------------------------------


def test_figures_by_type_and_outcome(demo: DemoNetwork, anna: User, case: Case) -> None:
    from bruecke.offers.selectors.referral_figures import (
        OPEN,
        referrals_by_kind,
        referrals_by_kind_and_outcome,
    )

    Referral.objects.all().delete()
    legal, course = (
        _measure(demo, kind=MeasureKind.LEGAL_AID),
        _measure(demo, kind=MeasureKind.LANGUAGE_COURSE),
    )
    on = TODAY - 10 * DAY
    _refer(anna, case, legal, on=on)
    _at(_refer(anna, case, legal, on=on), S.COMPLETED, TODAY)
    _at(_refer(anna, case, course, on=on), S.REJECTED, TODAY)
    _refer(anna, case, course, on=on, status=S.SUGGESTED)  # never sent: not counted
    outside = _refer(anna, case, course, on=on)
    Referral.objects.filter(pk=outside.pk).update(referred_on=TODAY - 40 * DAY)  # outside the range
    orgs = [demo.partners["A"].pk]
    start, end = TODAY - 20 * DAY, TODAY
    assert referrals_by_kind_and_outcome(orgs, None, start, end) == {
        (MeasureKind.LEGAL_AID, OPEN): 1,
        (MeasureKind.LEGAL_AID, S.COMPLETED): 1,
        (MeasureKind.LANGUAGE_COURSE, S.REJECTED): 1,
    }
    assert referrals_by_kind(orgs, case.team_id, start, end) == {
        MeasureKind.LEGAL_AID: 2,
        MeasureKind.LANGUAGE_COURSE: 1,
    }
    assert referrals_by_kind([demo.partners["B"].pk], None, start, end) == {}
    assert referrals_by_kind(orgs, demo.teams["Greifswald"].pk, start, end) == {}
