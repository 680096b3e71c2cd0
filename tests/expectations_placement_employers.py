"""Persona × URL expectations for employers and opportunities (merged into
tests/access_expectations.py)."""

from __future__ import annotations

from bruecke.network.demo import DemoNetwork
from bruecke.placement.demo.employers import OWN_EMPLOYER
from bruecke.placement.models import Employer, EmployerContact, EmployerSite, Opportunity
from tests.access_expectations_base import ANON, LOGIN_REDIRECT, Expect

# Everyone with placement rights reads the lists: case managers, placement officers and
# team leads of every partner of the network.
READERS = {ANON: LOGIN_REDIRECT, "cm_a": 200, "po_a": 200, "cm_b": 200, "team_lead": 200, "user_c": 200}
# Partner A's own records: its case manager reads, its placement officer and team lead write.
OWN_READERS = {ANON: LOGIN_REDIRECT, "cm_a": 200, "po_a": 200, "team_lead": 200}
WRITERS = {ANON: LOGIN_REDIRECT, "po_a": 200, "team_lead": 200}


def _employer(demo: DemoNetwork) -> Employer:
    return Employer.objects.get(organisation=demo.partners["A"], name=OWN_EMPLOYER)


def _contact(demo: DemoNetwork) -> EmployerContact:
    return EmployerContact.objects.filter(employer=_employer(demo)).earliest("id")


def _site(demo: DemoNetwork) -> EmployerSite:
    return EmployerSite.objects.filter(employer=_employer(demo)).earliest("id")


def _opportunity(demo: DemoNetwork) -> Opportunity:
    return Opportunity.objects.filter(employer=_employer(demo)).earliest("id")


def _employer_pk(demo: DemoNetwork) -> dict[str, int]:
    return {"pk": _employer(demo).pk}


def _contact_name(demo: DemoNetwork) -> str:
    return _contact(demo).name


EXPECTATIONS: dict[str, Expect] = {
    "placement:employer_list": Expect(default=404, statuses=READERS),
    "placement:employer_create": Expect(default=404, statuses=WRITERS),
    "placement:employer_detail": Expect(
        default=404, statuses=OWN_READERS, kwargs=_employer_pk, secret=lambda demo: OWN_EMPLOYER
    ),
    "placement:employer_edit": Expect(
        default=404, statuses=WRITERS, kwargs=_employer_pk, secret=lambda demo: OWN_EMPLOYER
    ),
    "placement:site_create": Expect(default=404, statuses=WRITERS, kwargs=_employer_pk),
    "placement:site_edit": Expect(
        default=404,
        statuses=WRITERS,
        kwargs=lambda demo: {"pk": _site(demo).pk},
        secret=lambda demo: _site(demo).street,
    ),
    "placement:employer_contact_create": Expect(default=404, statuses=WRITERS, kwargs=_employer_pk),
    "placement:employer_contact_edit": Expect(
        default=404, statuses=WRITERS, kwargs=lambda demo: {"pk": _contact(demo).pk}, secret=_contact_name
    ),
    "placement:employer_activity_create": Expect(
        default=404, statuses=WRITERS, kwargs=_employer_pk, secret=_contact_name
    ),
    "placement:opportunity_list": Expect(default=404, statuses=READERS),
    "placement:opportunity_create": Expect(default=404, statuses=WRITERS),
    "placement:opportunity_detail": Expect(
        default=404,
        statuses=OWN_READERS,
        kwargs=lambda demo: {"pk": _opportunity(demo).pk},
        secret=lambda demo: OWN_EMPLOYER,
    ),
    "placement:opportunity_edit": Expect(
        default=404, statuses=WRITERS, kwargs=lambda demo: {"pk": _opportunity(demo).pk}
    ),
    "placement:opportunity_status": Expect(
        default=404, statuses=WRITERS, kwargs=lambda demo: {"pk": _opportunity(demo).pk}
    ),
}
