"""List captions above the counting limit say "mehr als 10.000 …" (decision 0068), also
the captions written with `{% blocktranslate asvar %}` (jobs, exports, duplicate review,
merges, imports) and the badge of waiting transfers (bruecke/core/templatetags/counts.py).

The limit is lowered for the pages (the constant the paginator reads), so that a few
rows make a capped list."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from bruecke.core import views_helpers
from bruecke.core.views_helpers import CappedPaginator
from bruecke.dedupe.demo import seed_duplicates
from bruecke.dedupe.models import DuplicatePair
from bruecke.jobs.services import job_start
from bruecke.network.demo import DemoNetwork
from bruecke.reporting.jobs import EXPORT_KIND
from bruecke.spreadsheets.exporting.registry import get_list
from bruecke.spreadsheets.exporting.start import list_export_start
from tests.clients import verified_client

CAPTION = re.compile(r"<caption>(.*?)</caption>", re.S)


def _caption(response: Any) -> str:
    assert response.status_code == 200
    found = CAPTION.search(response.content.decode())
    assert found, "no caption"
    return html.unescape(" ".join(found.group(1).split()))


@pytest.fixture
def limit_two(monkeypatch: pytest.MonkeyPatch) -> None:
    # Three rows make a capped list; 2 takes the plural, as 10,000 does.
    monkeypatch.setattr(views_helpers, "COUNT_LIMIT", 2)


def test_the_caption_says_more_than_ten_thousand_with_its_separator() -> None:
    paginator = CappedPaginator(list(range(10_001)), 50, 10_000)
    template = Template(
        "{% load i18n counts %}{% blocktranslate asvar caption count counter=paginator.count %}"
        "{{ counter }} job{% plural %}{{ counter }} jobs{% endblocktranslate %}"
        "{{ caption|capped_caption:paginator }}|{{ paginator|capped_count }}"
    )
    with translation.override("de"):
        assert (
            template.render(Context({"paginator": paginator})) == "mehr als 10.000 Aufträge|mehr als 10.000"
        )
    with translation.override("en"):
        assert template.render(Context({"paginator": paginator})) == "more than 10,000 jobs|more than 10,000"
    exact = CappedPaginator(list(range(10_000)), 50, 10_000)
    with translation.override("de"):
        assert template.render(Context({"paginator": exact})) == "10000 Aufträge|10000"


def test_jobs_and_both_export_lists(demo: DemoNetwork, limit_two: None) -> None:
    user = demo.users["cm_a"]
    export = get_list("participants")
    assert export is not None
    for order in ("", "born", "valid"):
        list_export_start(
            actor=user,
            export=export,
            query={"o": order},
            output_format="csv",
            include_notes=False,
            language="de",
        )
    lead = demo.users["team_lead"]
    for number in range(3):
        job_start(actor=lead, kind=EXPORT_KIND, params={"n": number}, title=f"Bericht {number}")
    client = verified_client(user)
    assert _caption(client.get(reverse("jobs:list"))) == "mehr als 2 Aufträge"
    assert _caption(client.get(reverse("spreadsheets:exports"))) == "mehr als 2 Exporte"
    assert _caption(verified_client(lead).get(reverse("reporting:exports"))) == "mehr als 2 Exporte"


def test_duplicate_review_and_merges(demo: DemoNetwork, limit_two: None) -> None:
    seed_duplicates(demo)
    client = verified_client(demo.users["team_lead"])
    assert _caption(client.get(reverse("dedupe:review"))).startswith("mehr als 2 ")
    merged = 0
    for pair in DuplicatePair.objects.filter(organisation=demo.partners["A"]).order_by("pk"):
        response = client.post(
            reverse("dedupe:pair", kwargs={"pk": pair.pk}), {"keep": pair.first_id, "confirm": "on"}
        )
        merged += response.status_code == 302
    assert merged >= 3
    assert _caption(client.get(reverse("dedupe:merges"))).startswith("mehr als 2 ")


def test_import_runs(persona: Callable[[str], Any], limit_two: None) -> None:
    client = verified_client(persona("po_a"))
    for name in ("eins.csv", "zwei.csv", "drei.csv"):
        file = io.BytesIO("Nr.;Firma\r\n1;Café Rose\r\n".encode("utf-8-sig"))
        file.name = name
        response = client.post(reverse("spreadsheets:import_upload"), {"entity": "employers", "file": file})
        assert response.status_code == 302
    assert _caption(client.get(reverse("spreadsheets:import_list"))).startswith("mehr als 2 ")


def test_a_caption_without_asvar_before_and_the_exact_count_below_the_limit(
    demo: DemoNetwork, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = verified_client(demo.users["dpo"])
    exact = _caption(client.get(reverse("core:audit_log")))
    assert "mehr als" not in exact and re.match(r"\d+ Ereignis", exact)
    monkeypatch.setattr(views_helpers, "COUNT_LIMIT", 2)
    assert _caption(client.get(reverse("core:audit_log"))) == "mehr als 2 Ereignisse"
