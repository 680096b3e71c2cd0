"""Persona × URL expectations for the offers app: catalogue (merged into tests/access_expectations.py)."""

from __future__ import annotations

from bruecke.network.demo import DemoNetwork
from bruecke.offers.models import Measure, Provider
from tests.access_expectations_base import Expect
from tests.expectations_offers_base import OFFER_READERS, OFFER_WRITERS, OWN_WRITERS_A

# A demo entry of partner A: read by the network, changed by partner A's staff.
DEMO_PROVIDER = "Volkshochschule Rostock"
DEMO_MEASURE = "Deutsch am Abend A2"


def _provider(demo: DemoNetwork) -> dict[str, int]:
    return {"pk": Provider.objects.get(organisation=demo.partners["A"], name=DEMO_PROVIDER).pk}


def _measure(demo: DemoNetwork) -> dict[str, int]:
    return {"pk": Measure.objects.get(organisation=demo.partners["A"], title=DEMO_MEASURE).pk}


EXPECTATIONS: dict[str, Expect] = {
    "offers:measure_list": Expect(default=404, statuses=OFFER_READERS),
    "offers:measure_create": Expect(default=404, statuses=OFFER_WRITERS),
    "offers:measure_detail": Expect(default=404, statuses=OFFER_READERS, kwargs=_measure),
    "offers:measure_edit": Expect(default=404, statuses=OWN_WRITERS_A, kwargs=_measure),
    "offers:measure_start_create": Expect(default=404, statuses=OWN_WRITERS_A, kwargs=_measure),
    "offers:provider_list": Expect(default=404, statuses=OFFER_READERS),
    "offers:provider_create": Expect(default=404, statuses=OFFER_WRITERS),
    "offers:provider_detail": Expect(default=404, statuses=OFFER_READERS, kwargs=_provider),
    "offers:provider_edit": Expect(default=404, statuses=OWN_WRITERS_A, kwargs=_provider),
}
