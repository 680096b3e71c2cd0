"""Persona × URL expectations for the offers app: network_work (merged into tests/access_expectations.py)."""

from __future__ import annotations

from bruecke.network.demo import DemoNetwork
from bruecke.offers.demo.network_work import OWN_CONTACT, OWN_PARTNER, OWN_TRAINING
from bruecke.offers.models import AwarenessEvent, CooperationPartner, Training, TrainingMaterial
from tests.access_expectations_base import Expect
from tests.expectations_offers_base import OFFER_READERS, OFFER_WRITERS, OWN_WRITERS_A


def _training(demo: DemoNetwork) -> dict[str, int]:
    return {"pk": Training.objects.get(organisation=demo.partners["A"], topic=OWN_TRAINING).pk}


def _material(demo: DemoNetwork) -> dict[str, int]:
    return {"pk": TrainingMaterial.objects.filter(training_id=_training(demo)["pk"]).earliest("id").pk}


def _event(demo: DemoNetwork) -> dict[str, int]:
    return {"pk": AwarenessEvent.objects.filter(organisation=demo.partners["A"]).earliest("id").pk}


def _partner(demo: DemoNetwork) -> dict[str, int]:
    return {"pk": CooperationPartner.objects.get(organisation=demo.partners["A"], name=OWN_PARTNER).pk}


EXPECTATIONS: dict[str, Expect] = {
    "offers:training_list": Expect(default=404, statuses=OFFER_READERS),
    "offers:training_create": Expect(default=404, statuses=OFFER_WRITERS),
    "offers:training_detail": Expect(default=404, statuses=OFFER_READERS, kwargs=_training),
    "offers:training_edit": Expect(default=404, statuses=OWN_WRITERS_A, kwargs=_training),
    "offers:training_material_upload": Expect(default=404, statuses=OWN_WRITERS_A, kwargs=_training),
    # Materials: the organisation that held the training only (decision 0043).
    "offers:training_material_download": Expect(
        default=404, statuses=OWN_WRITERS_A, kwargs=_material, is_page=False
    ),
    "offers:event_list": Expect(default=404, statuses=OFFER_READERS),
    "offers:event_create": Expect(default=404, statuses=OFFER_WRITERS),
    "offers:event_edit": Expect(default=404, statuses=OWN_WRITERS_A, kwargs=_event),
    "offers:partner_list": Expect(default=404, statuses=OFFER_READERS),
    "offers:partner_create": Expect(default=404, statuses=OFFER_WRITERS),
    # The partner is read network-wide; its contact persons only by partner A's staff.
    "offers:partner_detail": Expect(default=404, statuses=OFFER_READERS, kwargs=_partner),
    "offers:partner_edit": Expect(
        default=404, statuses=OWN_WRITERS_A, kwargs=_partner, secret=lambda demo: OWN_CONTACT
    ),
    "offers:partner_contact_create": Expect(default=404, statuses=OWN_WRITERS_A, kwargs=_partner),
    "offers:partner_meeting_create": Expect(default=404, statuses=OWN_WRITERS_A, kwargs=_partner),
}
