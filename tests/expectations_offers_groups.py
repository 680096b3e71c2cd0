"""Persona × URL expectations for the offers app: groups (merged into tests/access_expectations.py)."""

from __future__ import annotations

from bruecke.network.demo import DemoNetwork
from bruecke.offers.demo.groups import TRAINING
from bruecke.offers.models import Enrolment, GroupOffer, GroupSession
from tests.access_expectations_base import Expect
from tests.expectations_offers_base import OFFER_READERS, OFFER_WRITERS, OWN_WRITERS_A

# The roster of partner A's team Rostock offer (enrolments, attendance) is recorded by
# partner A's staff who record offers and see that team: the same personas as OWN_WRITERS_A.
ROSTER_WRITERS_A = OWN_WRITERS_A


def _training(demo: DemoNetwork) -> GroupOffer:
    return GroupOffer.objects.get(organisation=demo.partners["A"], title=TRAINING)


def _training_pk(demo: DemoNetwork) -> dict[str, int]:
    return {"pk": _training(demo).pk}


def _session_pk(demo: DemoNetwork) -> dict[str, int]:
    return {"pk": GroupSession.objects.filter(offer=_training(demo)).earliest("date", "pk").pk}


def _enrolment_pk(demo: DemoNetwork) -> dict[str, int]:
    return {"pk": Enrolment.objects.filter(offer=_training(demo)).earliest("pk").pk}


def _enrolled_name(demo: DemoNetwork) -> str:
    return Enrolment.objects.filter(offer=_training(demo)).earliest("pk").participant.full_name


EXPECTATIONS: dict[str, Expect] = {
    "offers:group_list": Expect(default=404, statuses=OFFER_READERS),
    "offers:group_create": Expect(default=404, statuses=OFFER_WRITERS),
    # Everyone who reads offers sees the offer; only the roster's readers see names.
    "offers:group_detail": Expect(default=404, statuses=OFFER_READERS, kwargs=_training_pk),
    "offers:group_edit": Expect(
        default=404, statuses=OWN_WRITERS_A, kwargs=_training_pk, secret=lambda demo: TRAINING
    ),
    "offers:session_create": Expect(default=404, statuses=OWN_WRITERS_A, kwargs=_training_pk),
    "offers:enrol": Expect(default=404, statuses=ROSTER_WRITERS_A, kwargs=_training_pk),
    "offers:enrolment_end": Expect(
        default=404, statuses=ROSTER_WRITERS_A, kwargs=_enrolment_pk, secret=_enrolled_name
    ),
    "offers:session_attendance": Expect(
        default=404, statuses=ROSTER_WRITERS_A, kwargs=_session_pk, secret=_enrolled_name
    ),
}
