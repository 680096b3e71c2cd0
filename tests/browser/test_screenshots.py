"""The user guide's screenshots (docs/user-guide/bildschirme.md), taken from the demo data
with the browser tests' Chromium.

In a normal test run they go into a temporary directory, so the run proves that every page
still opens and renders for its persona; `make screenshots` sets BRUECKE_SCREENSHOTS_DIR
and they replace the files in docs/user-guide/screenshots/. The viewport is 1280×800 and
only what is visible is taken (not the full page), so the files stay small.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import reverse

from bruecke.accounts.models import User
from bruecke.network.demo import PERSONAS, seed_network
from tests.access_expectations import EXPECTATIONS
from tests.browser.conftest import BrowserPage

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 1280, 800
LANGUAGES = ["de", "en"]
# Where `make screenshots` writes (the Makefile sets it); else a temporary directory.
TARGET_ENV = "BRUECKE_SCREENSHOTS_DIR"


@dataclass(frozen=True)
class Shot:
    name: str  # the file is <language>-<name>.png
    persona: str
    url_name: str
    # Scrolled into view before the picture (a part further down the page).
    focus: str = ""
    query: str = ""
    # Clicked first (e.g. to open a folded form).
    click: str = ""


SHOTS = [
    Shot("case-manager-day", "cm_a", "core:dashboard"),
    Shot("case-manager-participants", "cm_a", "participants:list"),
    Shot("case-manager-participant", "cm_a", "participants:detail"),
    Shot("case-manager-case", "cm_a", "cases:detail"),
    Shot(
        "case-manager-contact",
        "cm_a",
        "cases:detail",
        click="#record-contact > summary",
        focus="form[action$='/contacts/new/']",
    ),
    Shot("placement-officer-day", "po_a", "core:dashboard", focus="#placement-heading"),
    Shot("placement-employers", "po_a", "placement:employer_list"),
    Shot("placement-opportunity-matches", "po_a", "placement:opportunity_matches"),
    Shot("placement-case-matches", "po_a", "placement:case_matches"),
    Shot("placement-pipeline", "po_a", "placement:pipeline"),
    Shot("placement-application", "po_a", "placement:application_detail"),
    Shot("import-upload", "po_a", "spreadsheets:import_upload"),
    Shot("import-list", "po_a", "spreadsheets:import_list"),
    Shot("offers-measures", "cm_a", "offers:measure_list"),
    Shot("offers-referral", "cm_a", "offers:referral_detail"),
    Shot("offers-language", "cm_a", "participants:detail", focus="#pathways"),
    Shot("offers-school", "cm_a", "offers:school_overview"),
    Shot("offers-attendance", "cm_a", "offers:session_attendance"),
    Shot("offers-trainings", "cm_a", "offers:training_list"),
    Shot("team-lead-start", "team_lead", "core:dashboard"),
    Shot("team-lead-caseload", "team_lead", "cases:caseload"),
    Shot("reports-indicators", "team_lead", "reporting:indicators", focus="#group-output"),
    Shot("coordinator-start", "coordinator", "core:dashboard"),
    Shot("reports-project", "coordinator", "reporting:project_detail"),
    Shot("dpo-start", "dpo", "core:dashboard"),
    Shot("dpo-breaches", "dpo", "privacy:breach_list"),
    # The access report is made by the controller's staff (the matrix lets the
    # data-protection officer see no personal data); shown as the case manager makes it.
    Shot("access-report", "cm_a", "privacy:access_report"),
    Shot("admin-network", "admin", "network:manage"),
    Shot("admin-staff", "admin", "network:staff_list"),
    Shot("network", "cm_a", "network:network_page"),
    Shot("work-permission", "cm_a", "rules:question"),
    Shot("work-permission-print", "cm_a", "rules:print"),
    Shot("work-permission-notes", "admin", "rules:notes"),
]
# One print view right to left: the information sheet (Art. 13 GDPR) in Arabic.
RTL_SHOT = Shot("information-sheet", "cm_a", "participants:info_sheet")
RTL_LANGUAGE = "ar"


def file_names() -> list[str]:
    """Every file `make screenshots` writes, for the user guide's page to show."""
    return [f"{lang}-{shot.name}.png" for lang in LANGUAGES for shot in SHOTS] + [
        f"{RTL_LANGUAGE}-{RTL_SHOT.name}.png"
    ]


@pytest.fixture
def target(tmp_path: Path) -> Path:
    configured = os.environ.get(TARGET_ENV)
    if not configured:
        return tmp_path
    path = Path(configured)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _username(key: str) -> str:
    return PERSONAS[key][0]


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _take(bpage: BrowserPage, shot: Shot, path: Path) -> None:
    demo = seed_network()
    url = reverse(shot.url_name, kwargs=EXPECTATIONS[shot.url_name].kwargs(demo)) + shot.query
    page = bpage.page
    response = page.goto(bpage.base_url + url)
    assert response is not None and response.status == 200, f"{path.name}: {url} answered {response}"
    page.wait_for_load_state("networkidle")  # sections that htmx loads after the page
    if shot.click:
        page.locator(shot.click).click()
    if shot.focus:
        target = page.locator(shot.focus).first
        assert target.is_visible(), f"{path.name}: {shot.focus} not shown on {url}"
        # At the top of the picture, with the heading just above it ("instant": the page may
        # ask for smooth scrolling, which would still be moving when the picture is taken).
        target.evaluate(
            "el => window.scrollTo({top: el.getBoundingClientRect().top + window.scrollY - 96"
            " - (document.querySelector('.summary-header')?.offsetHeight || 0),"
            " behavior: 'instant'})"
        )
    page.screenshot(path=str(path), animations="disabled", caret="hide")


def _sign_in(bpage: BrowserPage, key: str, language: str) -> None:
    User.objects.filter(username=_username(key)).update(language=language)
    bpage.login(_username(key))


@pytest.mark.parametrize("language", LANGUAGES)
def test_screenshots_of_the_main_pages(bpage: BrowserPage, target: Path, language: str) -> None:
    bpage.page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    signed_in = ""
    for shot in SHOTS:
        if shot.persona != signed_in:
            _sign_in(bpage, shot.persona, language)
            signed_in = shot.persona
        path = target / f"{language}-{shot.name}.png"
        _take(bpage, shot, path)
        assert _png_size(path) == (WIDTH, HEIGHT)
        assert bpage.page.locator("html").get_attribute("lang") == language
    assert not bpage.foreign_requests()
    assert not bpage.errors


def test_screenshot_of_a_print_view_right_to_left(bpage: BrowserPage, target: Path) -> None:
    bpage.page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    _sign_in(bpage, RTL_SHOT.persona, "de")
    path = target / f"{RTL_LANGUAGE}-{RTL_SHOT.name}.png"
    _take(bpage, RTL_SHOT, path)
    assert bpage.page.locator("[dir=rtl]").count() >= 1
    assert _png_size(path) == (WIDTH, HEIGHT)


def test_the_user_guide_shows_every_screenshot() -> None:
    """docs/user-guide/bildschirme.md names each file `make screenshots` writes, and the
    committed files are exactly those (a renamed page leaves no stale picture behind)."""
    docs = Path(__file__).resolve().parents[2] / "docs" / "user-guide"
    guide = (docs / "bildschirme.md").read_text(encoding="utf-8")
    for name in file_names():
        assert f"(screenshots/{name})" in guide, name
    committed = sorted(p.name for p in (docs / "screenshots").glob("*.png"))
    assert committed == sorted(file_names())
