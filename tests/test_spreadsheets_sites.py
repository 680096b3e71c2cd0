"""Importing employer sites: created through the site service (audit event, coordinates
from the place catalogue), unchanged on a second import of the same rows, updated when a
row changes, the employer named by external id, number or name of the importing
organisation only, and bad values as errors on their row and column."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from bruecke.core.audit import object_type_of
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.placement.models import Employer, EmployerSite
from bruecke.spreadsheets import registry
from bruecke.spreadsheets.base import ImportContext
from bruecke.spreadsheets.convert import Plan
from bruecke.spreadsheets.engine import Counts, RowResult, run_file
from bruecke.spreadsheets.mapping import suggest_columns
from bruecke.spreadsheets.models import ExternalKey
from bruecke.spreadsheets.reading import read_table
from bruecke.spreadsheets.template import build_template
from tests import placement_factories as factories

HEADER = ["external_id", "employer", "name", "street", "postcode", "town"]


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _run(
    demo: DemoNetwork, rows: list[list[str]], *, dry_run: bool = False
) -> tuple[Counts, list[RowResult]]:
    entity = registry.get("employer_sites")
    assert entity is not None
    ctx = ImportContext(actor=demo.users["po_a"], organisation=demo.partners["A"], entity=entity.key)
    plan = Plan(entity, {key: key for key in rows[0]})
    results: list[RowResult] = []
    counts = run_file(ctx, plan, read_table(_csv(rows), "sites.csv"), dry_run=dry_run, on_row=results.append)
    return counts, results


def _row(**overrides: str) -> list[str]:
    row = {
        "external_id": "S-1",
        "employer": "E-1",
        "name": "Küche am Hafen",
        "street": "Am Strande 3",
        "postcode": "18055",
        "town": "Rostock",
        **overrides,
    }
    return [row[key] for key in HEADER]


@pytest.fixture
def employer(demo: DemoNetwork) -> Employer:
    employer = factories.employer(demo.partners["A"], name="Hotel Warnowblick GmbH")
    ExternalKey.objects.create(
        organisation=demo.partners["A"],
        entity="employers",
        external_id="E-1",
        object_id=employer.pk,
        row_hash="",
    )
    return employer


def _events(site: EmployerSite, action: str) -> int:
    return AuditEvent.objects.filter(
        action=action, object_id=str(site.pk), object_type=object_type_of(site)
    ).count()


@pytest.mark.django_db
def test_sites_are_created_left_unchanged_and_updated(demo: DemoNetwork, employer: Employer) -> None:
    counts, results = _run(demo, [HEADER, _row()], dry_run=True)
    assert (counts.created, counts.errors) == (1, 0), results[0].errors
    assert not EmployerSite.objects.filter(employer=employer).exists()

    counts, results = _run(demo, [HEADER, _row()])
    assert counts.created == 1, results[0].errors
    site = EmployerSite.objects.get(pk=results[0].object_id or 0)
    assert (site.employer, site.name, site.street, site.postcode, site.town) == (
        employer,
        "Küche am Hafen",
        "Am Strande 3",
        "18055",
        "Rostock",
    )
    assert site.latitude is not None and site.longitude is not None  # from the place catalogue
    assert _events(site, AuditAction.CREATE) == 1

    events, version = AuditEvent.objects.count(), site.version
    counts, _results = _run(demo, [HEADER, _row()])
    site.refresh_from_db()
    assert (counts.unchanged, AuditEvent.objects.count(), site.version) == (1, events, version)

    counts, results = _run(demo, [HEADER, _row(street="Am Strande 5", name="Küche")])
    site.refresh_from_db()
    assert counts.updated == 1, results[0].errors
    assert (site.street, site.name, site.version) == ("Am Strande 5", "Küche", version + 1)
    assert _events(site, AuditAction.UPDATE) == 1


@pytest.mark.django_db
def test_a_moved_site_takes_the_new_coordinates_to_its_opportunities(
    demo: DemoNetwork, employer: Employer
) -> None:
    header = [*HEADER, "latitude", "longitude"]
    counts, results = _run(demo, [header, [*_row(), "54,1", "12,1"]])
    assert counts.created == 1, results[0].errors
    site = EmployerSite.objects.get(pk=results[0].object_id or 0)
    assert (site.latitude, site.longitude) == (Decimal("54.1"), Decimal("12.1"))
    opportunity = factories.opportunity(demo.partners["A"], employer_=employer, site=site)

    counts, results = _run(demo, [header, [*_row(), "54,2", "12,3"]])
    assert counts.updated == 1, results[0].errors
    opportunity.refresh_from_db()
    assert (opportunity.latitude, opportunity.longitude) == (54.2, 12.3)

    # Without coordinates in the file, a new address brings the catalogue's.
    counts, results = _run(demo, [HEADER, _row(postcode="18055", street="Neuer Markt 1")])
    assert counts.updated == 1, results[0].errors
    site.refresh_from_db()
    assert (site.latitude, site.longitude) != (Decimal("54.2"), Decimal("12.3"))


@pytest.mark.django_db
def test_the_employer_may_be_named_by_number_or_exact_name(demo: DemoNetwork, employer: Employer) -> None:
    counts, results = _run(
        demo,
        [
            HEADER,
            _row(external_id="S-1", employer=str(employer.pk)),
            _row(external_id="S-2", employer="hotel warnowblick gmbh"),
        ],
    )
    assert counts.created == 2, [r.errors for r in results]
    assert {s.employer_id for s in EmployerSite.objects.filter(pk__in=[r.object_id for r in results])} == {
        employer.pk
    }


@pytest.mark.django_db
def test_another_organisations_employer_is_no_record(demo: DemoNetwork, employer: Employer) -> None:
    other = factories.employer(demo.partners["B"], name="Werft Greifswald", shared_with_network=True)
    ExternalKey.objects.create(
        organisation=demo.partners["B"],
        entity="employers",
        external_id="E-9",
        object_id=other.pk,
        row_hash="",
    )
    rows = [
        HEADER,
        _row(external_id="1", employer=str(other.pk)),
        _row(external_id="2", employer="Werft Greifswald"),
        _row(external_id="3", employer="E-9"),
    ]
    before = EmployerSite.objects.count()
    counts, results = _run(demo, rows)
    assert counts.errors == 3
    for result in results:
        assert [column for column, _message in result.errors] == ["employer"]
        assert "keinen Datensatz" in result.errors[0][1]
    assert EmployerSite.objects.count() == before


@pytest.mark.django_db
def test_a_site_cannot_move_to_another_employer(demo: DemoNetwork, employer: Employer) -> None:
    second = factories.employer(demo.partners["A"], name="Bäckerei Korn")
    counts, results = _run(demo, [HEADER, _row()])
    assert counts.created == 1, results[0].errors
    counts, results = _run(demo, [HEADER, _row(employer=str(second.pk))])
    assert counts.errors == 1 and results[0].errors[0][0] == "employer"


@pytest.mark.django_db
def test_bad_site_rows_are_errors_on_their_row_and_column(demo: DemoNetwork, employer: Employer) -> None:
    header = [*HEADER, "latitude", "longitude"]
    rows = [
        header,
        [*_row(external_id="1", town=""), "", ""],  # required
        [*_row(external_id="2", postcode="12345678901"), "", ""],  # too long
        [*_row(external_id="3", postcode="99999", town="Nirgendwo"), "", ""],  # no coordinates known
        [*_row(external_id="4"), "54,1", ""],  # half a pair
        [*_row(external_id="5"), "154,1", "12,0"],  # out of range
        [*_row(external_id="6"), "Norden", "12,0"],  # not a number
        [*_row(external_id="7", employer="E-404"), "", ""],
        [*_row(external_id="8"), "", ""],  # fine, but the file fails as a whole
    ]
    before = EmployerSite.objects.count()
    counts, results = _run(demo, rows)
    assert [r.row_number for r in results] == [2, 3, 4, 5, 6, 7, 8, 9]
    columns = [[column for column, _message in r.errors] for r in results]
    assert columns == [
        ["town"],
        ["postcode"],
        ["latitude"],
        ["longitude"],
        ["latitude"],
        ["latitude"],
        ["employer"],
        [],
    ]
    assert "Koordinaten" in results[2].errors[0][1]
    assert (counts.errors, EmployerSite.objects.count()) == (7, before)


@pytest.mark.django_db
def test_sites_are_in_the_registry_the_template_and_the_suggestions() -> None:
    entity = registry.get("employer_sites")
    assert entity is not None
    keys = [e.key for e in registry.all_entities()]
    assert keys.index("employers") < keys.index("employer_sites") < keys.index("opportunities")
    suggested = suggest_columns(entity, ["Nr.", "Arbeitgeber", "Straße", "PLZ", "Ort"])
    assert suggested == {
        "external_id": "Nr.",
        "employer": "Arbeitgeber",
        "street": "Straße",
        "postcode": "PLZ",
        "town": "Ort",
    }
    with translation.override("de"):
        book = load_workbook(io.BytesIO(build_template(registry.all_entities())))
    assert "Arbeitgeber-Standorte" in book.sheetnames
    headers = [cell.value for cell in book["Arbeitgeber-Standorte"][1]]
    assert headers[:3] == ["externe Kennung *", "Arbeitgeber *", "Name des Standorts"]
