"""Persona × URL expectations for the pipeline, work-permission applications, placements
and check-ins (merged into tests/access_expectations.py).

The records are Mohammed's (team Rostock of partner A). Where the demo has none yet (a
branch without demo opportunities) they are made here through the services.
"""

from __future__ import annotations

from bruecke.network.demo import DemoNetwork
from bruecke.placement.models import Application, CheckIn, Placement, PlacementKind
from bruecke.placement.services import placements as placement_services
from tests import placement_factories as factories
from tests.access_expectations_base import ANON, LOGIN_REDIRECT, Expect
from tests.expectations_cases import _case, _mohammed

# Everyone who reads placement work (VIEW_PLACEMENT).
PLACEMENT_READERS = {
    ANON: LOGIN_REDIRECT,
    "cm_a": 200,
    "po_a": 200,
    "cm_b": 200,
    "team_lead": 200,
    "user_c": 200,
}
# Who records pipeline steps and placements of team Rostock (MANAGE_PLACEMENT).
WORKERS = {ANON: LOGIN_REDIRECT, "po_a": 200, "team_lead": 200}
# Who sees Mohammed's pipeline entries and placements (the team's personal data).
TEAM_READERS = {ANON: LOGIN_REDIRECT, "cm_a": 200, "po_a": 200, "team_lead": 200}


def _application(demo: DemoNetwork) -> Application:
    case = _case(demo)
    found = Application.objects.filter(case=case).order_by("pk").first()
    if found is not None:
        return found
    opportunity = factories.opportunity(case.organisation, title="Beikoch (Matrix)")
    return factories.application(demo.users["po_a"], case, opportunity, on=case.opened_on)


def _placement(demo: DemoNetwork) -> Placement:
    case = _case(demo)
    found = Placement.objects.filter(case=case).order_by("pk").first()
    if found is not None:
        return found
    return placement_services.placement_create(
        actor=demo.users["po_a"],
        case=case,
        data={
            "kind": PlacementKind.EMPLOYMENT,
            "start_date": case.opened_on,
            "employer": factories.employer(case.organisation, name="Matrix GmbH"),
            "hours_per_week": None,
            "wage_band": "",
            "fixed_term_until": None,
        },
    )


def _check_in(demo: DemoNetwork) -> CheckIn:
    return CheckIn.objects.filter(placement=_placement(demo)).order_by("due_on", "pk").first()  # type: ignore[return-value]


def _secret(demo: DemoNetwork) -> str:
    return _mohammed(demo).family_name


EXPECTATIONS: dict[str, Expect] = {
    "placement:pipeline": Expect(default=404, statuses=PLACEMENT_READERS),
    "placement:application_create": Expect(default=404, statuses=WORKERS),
    "placement:application_detail": Expect(
        default=404, statuses=TEAM_READERS, kwargs=lambda demo: {"pk": _application(demo).pk}, secret=_secret
    ),
    "placement:application_move": Expect(
        default=404,
        # An empty form is refused with 400 for the team's placement workers, 404 for the rest.
        statuses={ANON: LOGIN_REDIRECT, "po_a": 400, "team_lead": 400},
        kwargs=lambda demo: {"pk": _application(demo).pk},
        method="post",
        secret=_secret,
    ),
    "placement:permit_edit": Expect(
        default=404, statuses=WORKERS, kwargs=lambda demo: {"pk": _application(demo).pk}, secret=_secret
    ),
    "placement:placement_create": Expect(
        default=404, statuses=WORKERS, kwargs=lambda demo: {"pk": _case(demo).pk}, secret=_secret
    ),
    "placement:placement_detail": Expect(
        default=404, statuses=TEAM_READERS, kwargs=lambda demo: {"pk": _placement(demo).pk}, secret=_secret
    ),
    "placement:placement_edit": Expect(
        default=404, statuses=WORKERS, kwargs=lambda demo: {"pk": _placement(demo).pk}, secret=_secret
    ),
    "placement:check_in_record": Expect(
        default=404, statuses=WORKERS, kwargs=lambda demo: {"pk": _check_in(demo).pk}, secret=_secret
    ),
}
