"""The access module on a real table of personal data (tests.testapp.SensitiveNote)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.http import Http404

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Membership, Role
from bruecke.network.services import membership_end
from tests.testapp.models import SensitiveNote


@pytest.fixture
def notes(demo: DemoNetwork) -> dict[str, SensitiveNote]:
    def note(title: str, partner: str, team: str | None) -> SensitiveNote:
        return SensitiveNote.objects.create(
            organisation=demo.partners[partner], team=demo.teams[team] if team else None, title=title
        )

    return {
        "a_rostock": note("a_rostock", "A", "Rostock"),
        "a_schwerin": note("a_schwerin", "A", "Schwerin"),
        "a_no_team": note("a_no_team", "A", None),
        "b_greifswald": note("b_greifswald", "B", "Greifswald"),
        "c_schwerin": note("c_schwerin", "C", "Schwerin"),
    }


def _visible(user: User, team_field: str | None = "team") -> set[str]:
    queryset = access.personal_data_visible_to(user, SensitiveNote.objects.all(), team_field=team_field)
    return set(queryset.values_list("title", flat=True))


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("cm_a", {"a_rostock"}),
        ("po_a", {"a_rostock"}),
        ("team_lead", {"a_rostock"}),
        ("cm_b", {"b_greifswald"}),
        ("user_c", {"c_schwerin"}),
        ("coordinator", set()),
        ("dpo", set()),
        ("admin", set()),
        ("ruppin.berater", set()),
    ],
)
def test_personal_data_scope(
    persona: Callable[[str], User], notes: dict[str, SensitiveNote], key: str, expected: set[str]
) -> None:
    assert _visible(persona(key)) == expected


def test_records_without_team_are_scoped_by_organisation(
    persona: Callable[[str], User], notes: dict[str, SensitiveNote]
) -> None:
    assert _visible(persona("cm_a"), team_field=None) == {"a_rostock", "a_schwerin", "a_no_team"}
    assert _visible(persona("user_c"), team_field=None) == {"c_schwerin"}


def test_a_foreign_record_is_404(persona: Callable[[str], User], notes: dict[str, SensitiveNote]) -> None:
    scoped = access.personal_data_visible_to(
        persona("user_c"), SensitiveNote.objects.all(), team_field="team"
    )
    with pytest.raises(Http404):
        access.get_or_404(scoped, pk=notes["a_rostock"].pk)
    with pytest.raises(Http404):
        access.get_or_404(scoped, pk="not-a-number")
    assert access.get_or_404(scoped, pk=notes["c_schwerin"].pk).title == "c_schwerin"


def test_ended_membership_and_inactive_user_see_nothing(
    persona: Callable[[str], User], notes: dict[str, SensitiveNote], demo: DemoNetwork
) -> None:
    anna = persona("cm_a")
    membership_end(actor=demo.users["admin"], membership=Membership.objects.get(user=anna))
    assert _visible(User.objects.get(pk=anna.pk)) == set()
    jonas = User.objects.get(pk=persona("po_a").pk)
    jonas.is_active = False
    assert _visible(jonas) == set()
    assert not access.has_perm(jonas, Perm.VIEW_NETWORK)


def test_role_permissions_are_explicit() -> None:
    assert set(access.ROLE_PERMISSIONS) == {r.value for r in Role}
    holders = {role for role, perms in access.ROLE_PERMISSIONS.items() if Perm.VIEW_PERSONAL_DATA in perms}
    assert holders == {"case_manager", "placement_officer", "team_lead"}
