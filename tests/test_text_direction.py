"""Bidirectional formatting characters cannot disguise names and titles (issue 10, item 17).

Every product form inherits the shared text cleaning of `core/forms.py`, so the refusal
covers every single-line field; the network map shows names as text, never as HTML.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.test import Client
from django.urls import reverse

import bruecke
from bruecke.accounts.models import User
from bruecke.core.forms import Form, TextCleaningMixin
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import MobileSite
from tests.form_pages import get_page_names, open_page

# Every character Unicode classes as an explicit bidirectional format character or mark.
EMBEDDINGS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
MARKS = ["\u200e", "\u200f", "\u061c"]

# Forms that deliberately do not clean text: credentials are compared, never stored or shown.
NOT_CLEANED = {
    "bruecke.accounts.forms.LoginForm",
    "django.contrib.auth.forms.SetPasswordForm",
}


def _product_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(bruecke.__path__, "bruecke."):
        if ".migrations" not in module.name and not module.name.endswith(("settings_test", "wsgi", "asgi")):
            importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    pending: list[type] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if cls.__module__.startswith("bruecke.") and cls not in found:
            found.append(cls)
    return found


def test_every_product_form_cleans_its_text() -> None:
    forms_found = _product_forms()
    assert len(forms_found) > 30  # the enumeration really sees the product's forms
    missing = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in forms_found
        if not issubclass(cls, TextCleaningMixin)
        and f"{cls.__module__}.{cls.__qualname__}" not in NOT_CLEANED
    ]
    assert not missing, f"Forms without the shared text cleaning of core/forms.py: {missing}"


class _Sample(Form):
    name = forms.CharField()
    email = forms.EmailField(required=False)
    notes = forms.CharField(widget=forms.Textarea, required=False)


@pytest.mark.parametrize("char", EMBEDDINGS + MARKS)
def test_single_line_fields_refuse_every_direction_character(char: str) -> None:
    form = _Sample({"name": f"Anna{char}Schmidt"})
    assert not form.is_valid()
    assert form.has_error("name", "bidi")


@pytest.mark.parametrize("char", EMBEDDINGS)
def test_multi_line_text_refuses_embeddings_and_overrides(char: str) -> None:
    form = _Sample({"name": "Anna", "notes": f"Termin am {char}Montag"})
    assert not form.is_valid()
    assert form.has_error("notes", "bidi")


@pytest.mark.parametrize("char", MARKS)
def test_multi_line_text_keeps_direction_marks(char: str) -> None:
    # Arabic prose with a mixed-direction number needs RLM/ALM to display in the right order.
    text = f"موعد في المكتب{char} 10:30"
    form = _Sample({"name": "Anna", "notes": text})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["notes"] == text


def test_arabic_names_without_direction_characters_are_accepted() -> None:
    form = _Sample({"name": "محمد الحسن"})
    assert form.is_valid(), form.errors


def test_refused_next_to_the_field_in_german_and_nothing_saved(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    data = {
        "network": demo.network.pk,
        "name": "Rathaus \u202eminihcraP",
        "kind": "town_hall",
        "street": "Schuhmarkt 1",
        "postcode": "19370",
        "town": "Parchim",
        "latitude": "53.42630",
        "longitude": "11.84830",
        "is_active": "on",
    }
    client = login("admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    response = client.post(reverse("network:site_create"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_name-errors"' in html
    assert "Bitte entfernen Sie unsichtbare Zeichen zur Schreibrichtung aus diesem Text." in html
    assert not MobileSite.objects.filter(town="Parchim").exists()


MAP_SCRIPT = Path(settings.BASE_DIR) / "static" / "js" / "network-map.js"

# A minimal stand-in for the DOM and Leaflet: records what the script hands to Leaflet.
_HARNESS = """
const fs = require("fs");
const points = JSON.parse(process.argv[2]);
function el(tag) { return { tag, children: [], textContent: "", dataset: {}, classList: { add() {} },
  appendChild(c) { this.children.push(c); } }; }
const seen = [];
global.document = {
  getElementById(id) { return id === "map-points" ? { textContent: JSON.stringify(points) } : el("div"); },
  createElement: el,
  createTextNode(t) { return { text: t }; },
};
global.L = {
  map() { return { fitBounds() {}, setView() {} }; },
  tileLayer() { return { addTo() {} }; },
  circleMarker() { return {
    bindPopup(c) { seen.push(["popup", typeof c === "string" ? c : null]); },
    bindTooltip(c) { seen.push(["tooltip", typeof c === "string" ? c : null]); },
    addTo() {} }; },
};
eval(fs.readFileSync(process.argv[1], "utf8"));
process.stdout.write(JSON.stringify(seen));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js runs the map script")
def test_map_never_hands_names_to_leaflet_as_html() -> None:
    """Leaflet renders string content of popups and tooltips as HTML; names go in as text nodes."""
    point: dict[str, object] = {"kind": "office", "label": "Büro", "name": '<img src=x onerror="alert(1)">'}
    point |= {"address": "x", "lat": 53.6, "lon": 12.1}
    node = shutil.which("node") or "node"
    result = subprocess.run(  # noqa: S603 (fixed arguments: our script and our test data)
        [node, "-e", _HARNESS, str(MAP_SCRIPT), json.dumps([point])],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    handed = json.loads(result.stdout)
    assert [kind for kind, _ in handed] == ["popup", "tooltip"]
    assert all(html is None for _, html in handed), handed


def test_network_page_embeds_names_as_json_data(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    site = MobileSite.objects.filter(network=demo.network).first()
    assert site is not None
    MobileSite.objects.filter(pk=site.pk).update(name="<b>Rathaus</b>")
    html = login("cm_a").get(reverse("network:network_page")).content.decode()
    assert "<b>Rathaus</b>" not in html
    assert "\\u003Cb\\u003ERathaus\\u003C/b\\u003E" in html


def _single_line_fields(form: forms.BaseForm) -> list[str]:
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field.widget, forms.Textarea | forms.HiddenInput | forms.PasswordInput)
    ]


def test_every_single_line_field_of_every_page_refuses_an_override(
    demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    """The forms as the pages build them: each single-line text field refuses U+202E."""
    checked = 0
    for url_name in get_page_names():
        for form in open_page(url_name, demo, persona).context_forms:
            names = _single_line_fields(form)
            if not names or not isinstance(form, TextCleaningMixin):
                continue
            form.data = {form.add_prefix(name): "Anna \u202eFrank" for name in names}
            form.is_bound = True  # re-validate the page's own form with new input
            form._errors = None  # type: ignore[attr-defined]
            form.full_clean()
            refused = [name for name in names if not form.has_error(name)]
            assert not refused, f"{url_name}: {type(form).__name__} accepts U+202E in {refused}"
            checked += len(names)
    assert checked > 50
