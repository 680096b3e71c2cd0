"""Administrators and the partners' personal data (issue 10, item 2; docs/decisions/0019).

Partners are separate legal entities. An administrator manages the shared network, but a
role with access to an organisation's personal data is granted only by that organisation's
own administrator, never by anyone to themselves, and every such grant is e-mailed to the
organisation's administrators and data-protection officers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Membership, Organisation, Role
from bruecke.participants.models import Participant
from tests.clients import verified_client

SENSITIVE = sorted(access.SENSITIVE_ROLES)
ATTACKERS = ["admin", "ruppin.admin"]


def _foreign_partners(demo: DemoNetwork, attacker: User) -> list[Organisation]:
    """Every organisation of every network where `attacker` is not an administrator."""
    own = access.administered_organisation_ids(attacker)
    return list(Organisation.objects.exclude(pk__in=own).order_by("pk"))


def _b_participant(demo: DemoNetwork) -> Participant:
    participant = Participant.objects.filter(organisation=demo.partners["B"]).first()
    assert participant is not None
    return participant


def _state(demo: DemoNetwork) -> tuple[Any, ...]:
    cm_b = User.objects.get(pk=demo.users["cm_b"].pk)
    return (
        sorted(Membership.objects.values_list("pk", "user_id", "organisation_id", "role", "ended_on")),
        (cm_b.username, cm_b.email, cm_b.is_active),
        User.objects.count(),
    )


def _every_own_action(client: Client, attacker: User, demo: DemoNetwork) -> None:
    """Everything an administrator can do to staff and roles, aimed at other partners."""
    accomplice = demo.users["cm_a"] if attacker == demo.users["admin"] else demo.users["ruppin.berater"]
    cm_b = demo.users["cm_b"]
    for organisation in _foreign_partners(demo, attacker):
        for role in SENSITIVE:
            for grantee in (attacker, accomplice):
                client.post(
                    reverse("network:membership_create", args=[grantee.pk]),
                    {"organisation": organisation.pk, "team": "", "role": role},
                )
            client.post(
                reverse("network:staff_create"),
                {
                    "username": f"twin.{organisation.pk}.{role}",
                    "first_name": "Zweit",
                    "last_name": "Konto",
                    "email": attacker.email,
                    "language": "de",
                    "m-organisation": organisation.pk,
                    "m-team": "",
                    "m-role": role,
                },
            )
    # Take over an account of partner B: its e-mail, a password link, its second factor.
    client.post(
        reverse("network:staff_edit", args=[cm_b.pk]),
        {
            "username": cm_b.username,
            "first_name": cm_b.first_name,
            "last_name": cm_b.last_name,
            "email": attacker.email,
            "language": "de",
        },
    )
    client.post(reverse("network:staff_invite", args=[cm_b.pk]))
    client.post(reverse("network:staff_mfa_reset", args=[cm_b.pk]), {"identity_checked": "on"})
    client.post(reverse("network:staff_set_active", args=[cm_b.pk]), {"active": "0"})
    for membership in Membership.objects.filter(user=cm_b):
        client.post(reverse("network:membership_end", args=[membership.pk]))


@pytest.mark.parametrize("attacker_key", ATTACKERS)
def test_no_administrator_reaches_another_partners_personal_data(
    demo: DemoNetwork,
    attacker_key: str,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    attacker = demo.users[attacker_key]
    client = verified_client(attacker)
    before = _state(demo)
    with django_capture_on_commit_callbacks(execute=True):
        _every_own_action(client, attacker, demo)
    assert _state(demo) == before
    assert not mailoutbox  # no password link, no second-factor notice, no grant
    # Signing in again changes nothing: the attacker has no personal-data role anywhere but
    # where they had one before (nowhere), so partner B's participant stays hidden.
    fresh = User.objects.get(pk=attacker.pk)
    assert not access.has_perm(fresh, Perm.VIEW_PERSONAL_DATA)
    participant = _b_participant(demo)
    assert (
        verified_client(fresh).get(reverse("participants:detail", args=[participant.pk])).status_code == 404
    )


def test_nobody_grants_themselves_a_personal_data_role_even_at_their_own_partner(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    admin = demo.users["admin"]
    for role in SENSITIVE:
        response = login("admin").post(
            reverse("network:membership_create", args=[admin.pk]),
            {"organisation": demo.partners["A"].pk, "team": "", "role": role},
        )
        assert response.status_code == 400 and "role" in response.context["form"].errors, role
    assert list(Membership.objects.filter(user=admin).values_list("role", flat=True)) == [Role.ADMINISTRATOR]


def test_granting_at_another_partner_is_refused_next_to_the_field(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    response = login("admin").post(
        reverse("network:membership_create", args=[demo.users["po_a"].pk]),
        {
            "organisation": demo.partners["B"].pk,
            "team": demo.teams["Greifswald"].pk,
            "role": Role.CASE_MANAGER,
        },
    )
    assert response.status_code == 400
    (message,) = response.context["form"].errors["organisation"]
    assert str(demo.partners["B"]) in message
    assert not Membership.objects.filter(user=demo.users["po_a"], organisation=demo.partners["B"]).exists()


def test_a_role_without_personal_data_may_still_be_granted_across_the_network(
    login: Callable[[str], Client], demo: DemoNetwork, mailoutbox: list[Any]
) -> None:
    coordinator = demo.users["coordinator"]
    response = login("admin").post(
        reverse("network:membership_create", args=[coordinator.pk]),
        {"organisation": demo.partners["B"].pk, "team": "", "role": Role.NETWORK_COORDINATOR},
    )
    assert response.status_code == 302
    assert not access.organisation_ids(User.objects.get(pk=coordinator.pk), Perm.VIEW_PERSONAL_DATA)


def test_the_own_administrator_grants_and_the_organisation_is_told(
    demo: DemoNetwork, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    """Partner B's own administrator grants a role at B: allowed, and B's administrators
    and data-protection officers (not A's) get an e-mail naming person, role and granter."""
    b_admin = User.objects.create_user(
        username="b.admin", password="x", email="b.admin@example.org", first_name="Bea", last_name="Admin"
    )
    Membership.objects.create(user=b_admin, organisation=demo.partners["B"], role=Role.ADMINISTRATOR)
    b_dpo = User.objects.create_user(
        username="b.dsb", password="x", email="b.dsb@example.org", first_name="Ben", last_name="Schutz"
    )
    Membership.objects.create(user=b_dpo, organisation=demo.partners["B"], role=Role.DATA_PROTECTION_OFFICER)
    newcomer = demo.users["po_a"]
    with django_capture_on_commit_callbacks(execute=True):
        response = verified_client(b_admin).post(
            reverse("network:membership_create", args=[newcomer.pk]),
            {
                "organisation": demo.partners["B"].pk,
                "team": demo.teams["Greifswald"].pk,
                "role": Role.CASE_MANAGER,
            },
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == ["b.admin@example.org", "b.dsb@example.org"]
    mail = mailoutbox[0]
    assert newcomer.get_full_name() in mail.body and "Bea Admin" in mail.body
    assert "Fallmanager" in mail.body or "Casemanager" in mail.body


def test_the_operators_bootstrap_grant_is_announced_too(
    demo: DemoNetwork, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    from bruecke.network.services import membership_create

    with django_capture_on_commit_callbacks(execute=True):
        membership_create(
            actor=None,
            membership=Membership(
                user=demo.users["po_a"], organisation=demo.partners["A"], role=Role.TEAM_LEAD
            ),
        )
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted([demo.users["admin"].email, demo.users["dpo"].email])
