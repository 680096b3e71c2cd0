"""A case always lies where its partner works: never in another partner's team, never
where its responsible case manager cannot open it (issue 10, item 1)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseEvent, CaseStatus, CaseTransfer, TransferStatus
from bruecke.cases.selectors.cases import case_visible_to, organisation_teams
from bruecke.cases.services.cases import case_open
from bruecke.core.models import AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Team
from bruecke.participants.models import Participant
from tests.clients import verified_client
from tests.expectations_cases import _case
from tests.test_case_edit import _edit, _edit_data
from tests.test_transfer import _accept, _consent, _request, _staff

TODAY = datetime.date.today()


def _amina() -> Participant:
    """A participant of partner A (team Rostock) without a case."""
    return Participant.objects.get(family_name="Rahimi")


def _open_data(demo: DemoNetwork, team: Team | None) -> dict[str, Any]:
    return {
        "case_manager": demo.users["cm_a"].pk,
        "team": team.pk if team else "",
        "opened_on": TODAY.strftime("%d.%m.%Y"),
    }


def _all_teams() -> list[str]:
    return sorted(Team.objects.values_list("name", flat=True))


def test_the_case_form_offers_only_the_own_partners_teams(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    response = login("cm_a").get(reverse("cases:open", args=[_amina().pk]))
    offered = set(response.context["form"].fields["team"].queryset)
    assert offered == {demo.teams["Rostock"]}


def test_another_partners_team_is_refused_and_the_participant_still_gets_a_case(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    client = login("cm_a")
    amina = _amina()
    before = AuditEvent.objects.count()
    response = client.post(reverse("cases:open", args=[amina.pk]), _open_data(demo, demo.teams["Greifswald"]))
    assert response.status_code == 400 and "team" in response.context["form"].errors
    assert not Case.objects.filter(participant=amina).exists()
    assert AuditEvent.objects.count() == before
    # Nothing half-saved: the same participant gets a case in the own team at once.
    response = client.post(reverse("cases:open", args=[amina.pk]), _open_data(demo, demo.teams["Rostock"]))
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_the_service_refuses_another_partners_team(demo: DemoNetwork) -> None:
    amina = _amina()
    case = Case(participant=amina, case_manager=demo.users["cm_a"], team=demo.teams["Greifswald"])
    with pytest.raises(ValidationError) as error:
        case_open(actor=demo.users["cm_a"], case=case)
    assert "team" in error.value.message_dict
    assert not Case.objects.filter(participant=amina).exists()


def test_the_service_refuses_a_case_its_case_manager_would_not_see(demo: DemoNetwork) -> None:
    # No team: a case manager bound to team Rostock would not see it.
    amina = _amina()
    case = Case(participant=amina, case_manager=demo.users["cm_a"], team=None)
    with pytest.raises(ValidationError) as error:
        case_open(actor=demo.users["cm_a"], case=case)
    assert "team" in error.value.message_dict
    assert not Case.objects.filter(participant=amina).exists()


Placement = tuple[int, Case | None]


def _place_by_opening(login: Callable[[str], Client], demo: DemoNetwork, team: Team) -> Placement:
    amina = _amina()
    response = login("cm_a").post(reverse("cases:open", args=[amina.pk]), _open_data(demo, team))
    return response.status_code, Case.objects.filter(participant=amina).first()


def _place_by_editing(login: Callable[[str], Client], demo: DemoNetwork, team: Team) -> Placement:
    case = _case(demo)
    response = _edit(login("cm_a"), case, _edit_data(demo, case, team=team.pk))
    return response.status_code, Case.objects.get(pk=case.pk)


def _place_by_transfer(login: Callable[[str], Client], demo: DemoNetwork, team: Team) -> Placement:
    case = _case(demo)
    _consent(demo, demo.partners["B"])
    requested = _request(login("cm_a"), case, demo.partners["B"], team)
    if requested.status_code != 302:
        return requested.status_code, Case.objects.get(pk=case.pk)
    transfer = CaseTransfer.objects.get(case=case, status=TransferStatus.PENDING)
    response = _accept(login("cm_b"), transfer, demo.users["cm_b"])
    return response.status_code, Case.objects.get(pk=case.pk)


def _place_within_the_partner(login: Callable[[str], Client], demo: DemoNetwork, team: Team) -> Placement:
    case = _case(demo)
    requested = _request(login("cm_a"), case, demo.partners["A"], team)
    if requested.status_code != 302:
        return requested.status_code, Case.objects.get(pk=case.pk)
    transfer = CaseTransfer.objects.get(case=case, status=TransferStatus.PENDING)
    receiver = User.objects.get(username="a.schwerin")
    response = _accept(verified_client(receiver), transfer, receiver)
    return response.status_code, Case.objects.get(pk=case.pk)


PLACING_WRITES = {
    "open": _place_by_opening,
    "edit": _place_by_editing,
    "transfer": _place_by_transfer,
    "transfer_within_partner": _place_within_the_partner,
}


@pytest.mark.parametrize("way", sorted(PLACING_WRITES))
def test_every_way_of_placing_a_case_leaves_it_visible_to_its_case_manager(
    login: Callable[[str], Client], demo: DemoNetwork, way: str
) -> None:
    """Every team of every network, through every write that creates or moves a case: the
    write is refused with a message, or the responsible case manager (creator or
    receiver) opens the case, so the open-case rule and the pages agree."""
    _staff("a.schwerin", demo.partners["A"], demo.teams["Schwerin"])  # A works in two teams
    place = PLACING_WRITES[way]
    accepted = 0
    for name in _all_teams():
        status, case = place(login, demo, Team.objects.get(name=name))
        assert status in (302, 400), (way, name, status)
        if case is None:
            continue
        assert case_visible_to(case.case_manager, case), (way, name)
        if case.team is not None:
            assert case.team in organisation_teams(case.organisation_id), (way, name)
        if status == 302:
            accepted += 1
            manager = verified_client(case.case_manager)
            assert manager.get(reverse("cases:detail", args=[case.pk])).status_code == 200, (way, name)
            _restore(demo, way, case)
    assert accepted >= 1, way


def _restore(demo: DemoNetwork, way: str, case: Case) -> None:
    """Back to the demo state for the next team."""
    if way == "open":
        CaseEvent.objects.filter(case=case).delete()
        Case.objects.filter(pk=case.pk).delete()
        return
    Case.objects.filter(pk=case.pk).update(
        organisation=demo.partners["A"],
        team=demo.teams["Rostock"],
        case_manager=demo.users["cm_a"],
        status=CaseStatus.ACTIVE,
    )
    Participant.objects.filter(pk=case.participant_id).update(
        organisation=demo.partners["A"], team=demo.teams["Rostock"]
    )
    CaseTransfer.objects.filter(case_id=case.pk).delete()


def _break(demo: DemoNetwork) -> Case:
    """A case as the old form could make it: partner A's case in partner B's team."""
    case = _case(demo)
    Case.objects.filter(pk=case.pk).update(team=demo.teams["Greifswald"])
    return Case.objects.get(pk=case.pk)


def test_the_repair_command_finds_and_moves_cases_nobody_can_open(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _break(demo)
    assert login("cm_a").get(reverse("cases:detail", args=[case.pk])).status_code == 404
    out = StringIO()
    call_command("repair_case_teams", "--dry-run", stdout=out)
    assert str(case.pk) in out.getvalue()
    assert Case.objects.get(pk=case.pk).team == demo.teams["Greifswald"]  # dry run changes nothing

    out = StringIO()
    call_command("repair_case_teams", stdout=out)
    repaired = Case.objects.get(pk=case.pk)
    assert repaired.team == demo.teams["Rostock"]  # the case manager's team at partner A
    assert repaired.version == case.version + 1
    event = AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk)).latest("pk")
    assert event.action == "update" and event.changed_fields == ["team"] and event.actor is None
    assert login("cm_a").get(reverse("cases:detail", args=[case.pk])).status_code == 200

    out = StringIO()
    call_command("repair_case_teams", stdout=out)  # nothing left to do
    assert str(case.pk) not in out.getvalue()


def test_an_open_case_in_a_team_the_user_does_not_see_is_named_not_contradicted(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    """The participant's page lists only the cases the user sees; when the one open case
    lies with a colleague's team, the refusal says where it is."""
    amina = _amina()
    schwerin = demo.teams["Schwerin"]
    colleague = _staff("a.schwerin", demo.partners["A"], schwerin)
    case_open(actor=colleague, case=Case(participant=amina, case_manager=colleague, team=schwerin))
    client = login("cm_a")
    page = client.get(reverse("participants:detail", args=[amina.pk]))
    assert list(page.context["cases"]) == []
    response = client.post(reverse("cases:open", args=[amina.pk]), _open_data(demo, demo.teams["Rostock"]))
    assert response.status_code == 400
    (message,) = response.context["form"].non_field_errors()
    assert schwerin.name in message and colleague.get_full_name() in message
    assert Case.objects.filter(participant=amina).count() == 1
