"""Case transfer: consent to transfer, the receiver's decision, everything moving at once."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseEvent, CaseStatus, CaseTransfer, Task, TransferStatus
from bruecke.cases.services import transfer as services
from bruecke.core import access
from bruecke.core.models import AuditEvent
from bruecke.esf.models import EntryRecord
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Membership, Organisation, Role, Team
from bruecke.participants import services as participant_services
from bruecke.participants.info_sheet import INFO_SHEET_VERSION
from bruecke.participants.models import Consent, ConsentMethod, ConsentPurpose
from tests.clients import verified_client
from tests.expectations_cases import _case, _mohammed
from tests.expectations_transfer import _pending

TODAY = datetime.date.today()


def _consent(demo: DemoNetwork, *partners: Organisation) -> Consent:
    return participant_services.consent_record(
        actor=demo.users["cm_a"],
        consent=Consent(
            participant=_mohammed(demo),
            purpose=ConsentPurpose.TRANSFER,
            given_on=TODAY,
            method=ConsentMethod.ON_SCREEN,
            sheet_version=INFO_SHEET_VERSION,
            sheet_language="ar",
        ),
        shared_with=partners,
    )


def _request(client: Client, case: Case, organisation: Organisation, team: Team | None, **extra: str) -> Any:
    data = {
        "to_organisation": organisation.pk,
        "to_team": team.pk if team else "",
        "reason": "Umzug",
        **extra,
    }
    return client.post(reverse("cases:transfer_request", args=[case.pk]), data)


def _to_b(demo: DemoNetwork, login: Callable[[str], Client], case: Case | None = None) -> CaseTransfer:
    case = case or _case(demo)
    _consent(demo, demo.partners["B"])
    response = _request(login("cm_a"), case, demo.partners["B"], demo.teams["Greifswald"])
    assert response.status_code == 302, response.content
    return CaseTransfer.objects.get(case=case, status=TransferStatus.PENDING)


def _staff(username: str, organisation: Organisation, team: Team, role: str = Role.CASE_MANAGER) -> User:
    user = User.objects.create_user(username=username, password="x", first_name="Test", last_name=username)
    Membership.objects.create(user=user, organisation=organisation, team=team, role=role)
    return user


def _decide(client: Client, transfer: CaseTransfer, data: dict[str, Any]) -> Any:
    return client.post(reverse("cases:transfer_decide", args=[transfer.pk]), data)


def _accept(client: Client, transfer: CaseTransfer, manager: User, version: int | None = None) -> Any:
    return _decide(
        client, transfer, {"accept-version": version or transfer.version, "accept-case_manager": manager.pk}
    )


def test_transfer_to_another_partner_needs_a_consent(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    response = _request(login("cm_a"), _case(demo), demo.partners["B"], demo.teams["Greifswald"])
    assert response.status_code == 400
    errors = response.context["form"].errors["to_organisation"]
    assert "Integrationshilfe VP" in errors[0]
    assert not CaseTransfer.objects.filter(case=_case(demo)).exists()


def test_a_consent_naming_another_partner_is_refused(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    _consent(demo, demo.partners["C"])
    response = _request(login("cm_a"), _case(demo), demo.partners["B"], demo.teams["Greifswald"])
    assert response.status_code == 400 and "to_organisation" in response.context["form"].errors
    # A sharing consent naming B is not a consent to transfer.
    assert not services.has_transfer_consent(_mohammed(demo), demo.partners["B"])


def test_a_revoked_consent_is_refused_also_at_acceptance(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    consent = _consent(demo, demo.partners["B"])
    participant_services.consent_revoke(actor=demo.users["cm_a"], consent=consent)
    response = _request(login("cm_a"), _case(demo), demo.partners["B"], demo.teams["Greifswald"])
    assert response.status_code == 400 and "to_organisation" in response.context["form"].errors

    transfer = _to_b(demo, login)  # a new consent
    for active in Consent.objects.filter(purpose=ConsentPurpose.TRANSFER, revoked_on__isnull=True):
        participant_services.consent_revoke(actor=demo.users["cm_a"], consent=active)
    response = _accept(login("cm_b"), transfer, demo.users["cm_b"])
    assert response.status_code == 400
    assert "Integrationshilfe VP" in str(response.context["accept_form"].non_field_errors())
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PENDING
    assert Case.objects.get(pk=transfer.case_id).organisation == demo.partners["A"]


def test_another_team_of_the_same_partner_needs_no_consent(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    schwerin = demo.teams["Schwerin"]
    case = _case(demo)
    # Partner A has no staff in Schwerin yet: refused, the team has nobody to take over.
    response = _request(login("cm_a"), case, demo.partners["A"], schwerin)
    assert response.status_code == 400 and "to_team" in response.context["form"].errors
    assert "to_team" in _request(login("cm_a"), case, demo.partners["A"], None).context["form"].errors
    receiver = _staff("a.schwerin", demo.partners["A"], schwerin)
    assert _request(login("cm_a"), case, demo.partners["A"], schwerin).status_code == 302
    transfer = CaseTransfer.objects.get(case=case, status=TransferStatus.PENDING)
    # Rostock staff of partner A do not decide on a transfer to Schwerin.
    assert login("cm_a").get(reverse("cases:transfer_decide", args=[transfer.pk])).status_code == 404
    client = verified_client(receiver)
    assert _accept(client, transfer, receiver).status_code == 302
    case.refresh_from_db()
    assert (case.organisation, case.team, case.case_manager) == (demo.partners["A"], schwerin, receiver)
    # Same partner: the placement officer stays; Rostock's team-bound case manager loses the case.
    assert case.placement_officer == demo.users["po_a"]
    assert login("cm_a").get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_accepting_moves_everything_and_the_sender_loses_access(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case, person = _case(demo), _mohammed(demo)
    old = Case.objects.create(
        participant=person,
        organisation=demo.partners["A"],
        case_manager=demo.users["cm_a"],
        status=CaseStatus.CLOSED,
        opened_on=TODAY - datetime.timedelta(days=400),
        closed_on=TODAY - datetime.timedelta(days=300),
    )
    entry = EntryRecord.objects.create(participant=person, organisation=demo.partners["A"])
    task = Task.objects.create(
        case=case, organisation=case.organisation, assignee=demo.users["cm_a"], title="Anruf", due_on=TODAY
    )
    transfer = _to_b(demo, login, case)
    page = login("cm_b").get(reverse("cases:transfer_decide", args=[transfer.pk]))
    content = page.content.decode()
    assert page.status_code == 200 and person.full_name in content and "1994" in content
    assert "Erstgespräch" not in content and "B1-Kurs" not in content  # nothing of the case itself
    # Before acceptance the receiver sees neither the case nor the participant.
    assert login("cm_b").get(reverse("cases:detail", args=[case.pk])).status_code == 404

    assert _accept(login("cm_b"), transfer, demo.users["cm_b"]).status_code == 302
    case.refresh_from_db()
    person.refresh_from_db()
    entry.refresh_from_db()
    task.refresh_from_db()
    old.refresh_from_db()
    b, greifswald = demo.partners["B"], demo.teams["Greifswald"]
    assert (case.organisation, case.team, case.case_manager, case.placement_officer) == (
        b,
        greifswald,
        demo.users["cm_b"],
        None,
    )
    assert (person.organisation, person.team) == (b, greifswald)
    assert entry.organisation == b
    assert (task.organisation, task.assignee) == (b, demo.users["cm_b"])
    assert old.organisation == demo.partners["A"]  # closed cases stay with the sender
    for url in (reverse("cases:detail", args=[case.pk]), reverse("participants:detail", args=[person.pk])):
        assert login("cm_a").get(url).status_code == 404
        assert login("po_a").get(url).status_code == 404
        assert login("cm_b").get(url).status_code == 200
    event = CaseEvent.objects.filter(case=case, kind="transfer").order_by("-id").first()
    assert event is not None and event.details["status"] == "accepted" and event.details["to"] == str(b)
    audited = set(AuditEvent.objects.filter(action="update").values_list("object_type", flat=True).order_by())
    assert {
        "cases.case",
        "participants.participant",
        "esf.entryrecord",
        "cases.task",
        "cases.casetransfer",
    } <= (audited)


def test_rejecting_needs_a_reason_and_keeps_everything(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    transfer = _to_b(demo, login)
    response = _decide(
        login("cm_b"), transfer, {"reject-version": transfer.version, "reject-rejection_reason": ""}
    )
    assert response.status_code == 400 and "rejection_reason" in response.context["reject_form"].errors
    response = _decide(
        login("cm_b"),
        transfer,
        {"reject-version": transfer.version, "reject-rejection_reason": "Kein Platz frei"},
    )
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REJECTED and transfer.decided_by == demo.users["cm_b"]
    case = _case(demo)
    assert case.organisation == demo.partners["A"] and case.case_manager == demo.users["cm_a"]
    page = login("cm_a").get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200 and "Kein Platz frei" in page.content.decode()
    # A decided transfer no longer shows the participant to the receiver.
    after = login("cm_b").get(reverse("cases:transfer_decide", args=[transfer.pk])).content.decode()
    assert "Al-Hassan" not in after


def test_the_sender_withdraws_a_pending_transfer(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    transfer = _to_b(demo, login)
    # The receiver cannot withdraw; the sender can.
    assert login("cm_b").post(reverse("cases:transfer_withdraw", args=[transfer.pk])).status_code == 404
    response = login("cm_a").post(
        reverse("cases:transfer_withdraw", args=[transfer.pk]), {"version": transfer.version}
    )
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.WITHDRAWN
    assert _accept(login("cm_b"), transfer, demo.users["cm_b"]).status_code == 400
    assert _case(demo).organisation == demo.partners["A"]


def test_two_receivers_deciding_at_once_the_second_gets_a_conflict(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    transfer = _to_b(demo, login)
    loaded = transfer.version
    colleague = _staff("b.colleague", demo.partners["B"], demo.teams["Greifswald"])
    second = verified_client(colleague)
    assert _accept(login("cm_b"), transfer, demo.users["cm_b"], loaded).status_code == 302
    response = _decide(second, transfer, {"reject-version": loaded, "reject-rejection_reason": "Zu spät"})
    assert response.status_code == 400 and response.context["reject_form"].conflict
    response = _accept(second, transfer, colleague, loaded)
    assert response.status_code == 400 and response.context["accept_form"].conflict
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED and transfer.rejection_reason == ""
    assert Case.objects.get(pk=transfer.case_id).case_manager == demo.users["cm_b"]


def test_incoming_transfers_are_only_for_the_receiving_side(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    transfer = _to_b(demo, login)
    url = reverse("cases:transfer_decide", args=[transfer.pk])
    for key in ("cm_a", "po_a", "team_lead", "user_c", "coordinator", "dpo", "admin"):
        response = login(key).get(url)
        assert response.status_code == 404 and b"Al-Hassan" not in response.content
    listing = reverse("cases:transfers_incoming")
    reads = AuditEvent.objects.filter(
        action="read", object_type="cases.casetransfer", object_id=str(transfer.pk)
    )
    assert "Al-Hassan" not in login("user_c").get(listing).content.decode()
    assert "Al-Hassan" not in login("cm_a").get(listing).content.decode()
    assert reads.count() == 0  # not shown, not read
    assert "Al-Hassan" in login("cm_b").get(listing).content.decode()
    assert reads.count() == 1  # the list shows the request: a read
    login("cm_b").get(url)
    assert reads.count() == 2


def test_one_pending_transfer_per_case(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    transfer = _to_b(demo, login)
    response = _request(login("cm_a"), _case(demo), demo.partners["B"], demo.teams["Greifswald"])
    assert response.status_code == 400
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseTransfer.objects.create(
            case=transfer.case,
            from_organisation=transfer.from_organisation,
            to_organisation=demo.partners["C"],
            reason="x",
            requested_by=demo.users["cm_a"],
        )


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"reason": "a\x00b"}, "reason"),
        ({"reason": "x" * 301}, "reason"),
        ({"reason": ""}, "reason"),
        ({"to_organisation": "999999"}, "to_organisation"),
        ({"to_team": "999999"}, "to_team"),
    ],
)
def test_bad_transfer_input_saves_nothing(
    login: Callable[[str], Client], demo: DemoNetwork, extra: dict[str, str], field: str
) -> None:
    _consent(demo, demo.partners["B"])
    before = CaseTransfer.objects.count(), AuditEvent.objects.count()
    response = _request(login("cm_a"), _case(demo), demo.partners["B"], demo.teams["Greifswald"], **extra)
    assert response.status_code == 400 and field in response.context["form"].errors
    assert (CaseTransfer.objects.count(), AuditEvent.objects.count()) == before


def test_a_team_of_another_network_is_refused(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    other = Team.objects.exclude(network=demo.network).first()
    assert other is not None
    response = _request(login("cm_a"), _case(demo), demo.partners["A"], other)
    assert response.status_code == 400 and "to_team" in response.context["form"].errors


def test_the_consent_form_names_the_receiving_partner(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    url = reverse("participants:consent_create", args=[_mohammed(demo).pk])
    data = {
        "purpose": "transfer",
        "given_on": TODAY.strftime("%d.%m.%Y"),
        "method": "on_screen",
        "sheet_language": "ar",
    }
    response = login("cm_a").post(url, data)
    assert response.status_code == 400 and "shared_with" in response.context["form"].errors
    assert login("cm_a").post(url, {**data, "shared_with": [demo.partners["B"].pk]}).status_code == 302
    assert services.has_transfer_consent(_mohammed(demo), demo.partners["B"])
    # The transfer consent gives no read access before the transfer itself.
    assert login("cm_b").get(reverse("participants:detail", args=[_mohammed(demo).pk])).status_code == 404


def test_the_demo_transfer_waits_for_partner_a(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    transfer = _pending(demo)
    dashboard = login("cm_a").get(reverse("core:dashboard"))
    assert dashboard.context["incoming_transfers"] == 1
    assert reverse("cases:transfers_incoming") in dashboard.content.decode()
    assert login("cm_b").get(reverse("core:dashboard")).context["incoming_transfers"] == 0
    assert login("cm_b").get(reverse("cases:detail", args=[transfer.case_id])).status_code == 200
    assert _accept(login("team_lead"), transfer, demo.users["cm_a"]).status_code == 302
    assert Case.objects.get(pk=transfer.case_id).case_manager == demo.users["cm_a"]
    assert login("cm_b").get(reverse("cases:detail", args=[transfer.case_id])).status_code == 404
    assert login("cm_a").get(reverse("cases:detail", args=[transfer.case_id])).status_code == 200


def test_incoming_list_and_dashboard_queries_do_not_grow(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., Any]
) -> None:
    client = login("cm_b")
    person = _mohammed(demo)
    counts: dict[str, list[int]] = {"list": [], "dashboard": []}
    for batch in (1, 20):
        for _ in range(batch):
            case = Case.objects.create(
                participant=person,
                organisation=demo.partners["A"],
                case_manager=demo.users["cm_a"],
                status=CaseStatus.CLOSED,
                opened_on=TODAY,
                closed_on=TODAY,
            )
            CaseTransfer.objects.create(
                case=case,
                from_organisation=demo.partners["A"],
                to_organisation=demo.partners["B"],
                reason="x",
                requested_by=demo.users["cm_a"],
            )
        for name, url in (("list", "cases:transfers_incoming"), ("dashboard", "core:dashboard")):
            with count_queries() as ctx:
                assert client.get(reverse(url)).status_code == 200
            counts[name].append(ctx.count)
    assert counts["list"][0] == counts["list"][1]
    assert counts["dashboard"][0] == counts["dashboard"][1]
    assert access.has_perm(demo.users["cm_b"], access.Perm.EDIT_PARTICIPANTS)


def test_without_a_named_team_the_case_goes_to_the_managers_team(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    _consent(demo, demo.partners["B"])
    assert _request(login("cm_a"), case, demo.partners["B"], None).status_code == 302
    transfer = CaseTransfer.objects.get(case=case, status=TransferStatus.PENDING)
    assert _accept(login("cm_b"), transfer, demo.users["cm_b"]).status_code == 302
    case.refresh_from_db()
    assert (case.organisation, case.team) == (demo.partners["B"], demo.teams["Greifswald"])
    assert login("cm_b").get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_a_case_manager_who_would_not_see_the_case_is_refused(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    transfer = _to_b(demo, login)  # to team Greifswald
    elsewhere = _staff("b.schwerin", demo.partners["B"], demo.teams["Schwerin"])
    response = _accept(login("cm_b"), transfer, elsewhere)
    assert response.status_code == 400 and "case_manager" in response.context["accept_form"].errors
    assert Case.objects.get(pk=transfer.case_id).organisation == demo.partners["A"]
    assert CaseTransfer.objects.get(pk=transfer.pk).status == TransferStatus.PENDING
