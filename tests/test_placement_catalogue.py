"""The KldB 2010 catalogue: `load_kldb` (XLSX and CSV as the Bundesagentur publishes them,
all or nothing) and the occupation search (page and htmx fragment, OccupationField)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from bruecke.core.models import AuditEvent
from bruecke.placement.forms.fields import OccupationField
from bruecke.placement.kldb import fold
from bruecke.placement.models import Occupation
from bruecke.placement.selectors.catalogue import occupation_search
from bruecke.placement.services.catalogue import KldbFileError, load_kldb
from tests.placement_xlsx import write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


HEADER_BLOCK: list[list[object]] = [
    ["Klassifikation der Berufe 2010 – überarbeitete Fassung 2020"],
    ["Systematisches Verzeichnis"],
    [],
    ["Stand: 2020", None, "Bundesagentur für Arbeit"],
    [],
]
HEADER: list[object] = ["Schlüssel KldB 2010", "Ebene", "Bezeichnung"]


def _official(rows: list[list[object]]) -> list[list[object]]:
    return [*HEADER_BLOCK, HEADER, *rows, [], []]


GOOD: list[list[object]] = [
    ["9", "1", "Sprach-, literatur-, geistes-, gesellschafts- und wirtschaftswissenschaftliche Berufe"],
    ["94", "2", "Darstellende und unterhaltende Berufe"],
    ["946", "3", "Berufe in Bühnen- und Kostümbildnerei, Requisite"],
    ["9461", "4", "Berufe in der Bühnen- und Kostümbildnerei"],
    ["94612", "5", "Berufe in der Bühnen- und Kostümbildnerei – fachlich ausgerichtete Tätigkeiten"],
    ["01104", "5", "Offiziere – hoch komplexe Tätigkeiten"],
]


def _run(path: Path) -> str:
    from io import StringIO

    out = StringIO()
    call_command("load_kldb", str(path), stdout=out)
    return out.getvalue()


def test_loads_the_official_xlsx_layout_with_a_header_block(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "kldb.xlsx", _official(GOOD))
    events = AuditEvent.objects.count()
    output = _run(path)
    assert "6 added, 0 updated" in output
    assert (
        Occupation.objects.get(code="01104").title == "Offiziere – hoch komplexe Tätigkeiten"
    )  # leading zero kept
    assert Occupation.objects.get(code="94612").search_title == fold(GOOD[4][2])  # type: ignore[arg-type]
    assert Occupation.objects.get(code="94612").level == 2
    assert AuditEvent.objects.count() == events + 1


def test_loads_inline_strings_and_csv_with_semicolons_and_latin1(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "inline.xlsx", _official(GOOD[:2]), inline=True)
    assert "2 added" in _run(tmp_path / "inline.xlsx")
    csv_path = tmp_path / "kldb.csv"
    csv_path.write_bytes("Kldb 2010;Titel\n9461;Berufe in der Bühnen- und Kostümbildnerei\n".encode("cp1252"))
    assert "1 added" in _run(csv_path)
    assert Occupation.objects.get(code="9461").title == "Berufe in der Bühnen- und Kostümbildnerei"


def test_is_idempotent_updates_titles_and_never_deletes(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "kldb.xlsx", _official(GOOD))
    _run(path)
    assert "0 added, 0 updated, 6 unchanged" in _run(path)
    demo_codes = Occupation.objects.exclude(code__in=[r[0] for r in GOOD]).count()
    renamed = [[*GOOD[4][:2], "Bühnen- und Kostümbildnerei (Fachkraft)"]]
    result = load_kldb(write_xlsx(tmp_path / "small.xlsx", _official(renamed)))
    assert (result.added, result.updated) == (0, 1)
    assert Occupation.objects.get(code="94612").search_title == "buhnen- und kostumbildnerei (fachkraft)"
    assert Occupation.objects.exclude(code__in=[r[0] for r in GOOD]).count() == demo_codes  # nothing deleted
    assert Occupation.objects.filter(code="01104").exists()


def test_numbers_in_cells_are_codes(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "numbers.xlsx", [["Kldb 2010", "Bezeichnung"], [94612, "Bühne"], [946, "Gruppe"]]
    )
    load_kldb(path)
    assert set(Occupation.objects.filter(code__in=["94612", "946"]).values_list("title", flat=True)) == {
        "Bühne",
        "Gruppe",
    }


@pytest.mark.parametrize("header", [["Code", "Ebene"], ["Ebene", "Bezeichnung"], ["Nr.", "Name"]])
def test_missing_columns_name_the_expected_ones(tmp_path: Path, header: list[object]) -> None:
    path = write_xlsx(tmp_path / "wrong.xlsx", [*HEADER_BLOCK, header, ["94612", "x"]])
    with pytest.raises(CommandError) as error:
        _run(path)
    assert "Schlüssel KldB 2010" in str(error.value) and "Bezeichnung" in str(error.value)
    assert not Occupation.objects.filter(code="94612").exists()


def test_every_bad_row_is_reported_with_its_row_number_and_nothing_is_written(
    tmp_path: Path, english: None
) -> None:
    rows: list[list[object]] = [
        *GOOD[:2],  # rows 7 and 8: good
        ["9461x", "4", "Buchstabe im Code"],  # row 9
        ["946123", "5", "sechs Stellen"],  # row 10
        ["94615", "5", "Anforderungsniveau 5"],  # row 11
        ["94610", "5", "Anforderungsniveau 0"],  # row 12
        ["94", "2", "Darstellende Berufe (anders)"],  # row 13: duplicate with another title
        ["94", "2", "Darstellende und unterhaltende Berufe"],  # row 14: same title again, fine
        ["9462", "4", ""],  # row 15: no title
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", _official(rows))
    before = Occupation.objects.count()
    with pytest.raises(KldbFileError) as error:
        load_kldb(path)
    text = "\n".join(error.value.messages)
    assert 'Row 9: "9461x"' in text
    assert 'Row 10: "946123"' in text
    assert "Row 11:" in text and "94615" in text
    assert "Row 12:" in text and "94610" in text
    assert "Row 13:" in text and "first in row 8" in text
    assert "Row 14" not in text
    assert "Row 15:" in text
    assert Occupation.objects.count() == before
    assert not Occupation.objects.filter(code="9").exists()


def test_errors_are_in_the_users_language(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "bad.xlsx", _official([["94615", "5", "x"]]))
    with translation.override("de"), pytest.raises(KldbFileError) as error:
        load_kldb(path)
    assert "Zeile 7" in error.value.messages[0]


def test_not_a_spreadsheet_and_empty_table(tmp_path: Path, english: None) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(KldbFileError):
        load_kldb(broken)
    empty = write_xlsx(tmp_path / "empty.xlsx", [*HEADER_BLOCK, HEADER, [], []])
    with pytest.raises(KldbFileError) as error:
        load_kldb(empty)
    assert "no codes" in error.value.messages[0]
    with pytest.raises(CommandError):
        _run(tmp_path / "missing.xlsx")


# --- Search --------------------------------------------------------------------------------


def test_search_by_code_prefix_and_folded_title_words() -> None:
    Occupation.objects.update_or_create(
        code="29302", defaults={"title": "Köche/Köchinnen – fachlich ausgerichtete Tätigkeiten"}
    )
    assert "29302" in set(occupation_search("293").values_list("code", flat=True))
    assert "29302" in set(occupation_search("koch fachlich").values_list("code", flat=True))
    assert "29302" in set(occupation_search("KÖCHIN").values_list("code", flat=True))
    assert not occupation_search("koch helfer-xyz").filter(code="29302").exists()
    assert not occupation_search("").exists()


def test_search_page_shows_level_and_group_titles(login: Callable[[str], Client]) -> None:
    Occupation.objects.update_or_create(code="2930", defaults={"title": "Köche (Untergruppe)"})
    Occupation.objects.update_or_create(code="293", defaults={"title": "Speisenzubereitung"})
    Occupation.objects.update_or_create(code="29302", defaults={"title": "Köche – Fachkraft"})
    response = login("cm_a").get(reverse("placement:occupation_search"), {"q": "29302"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Köche – Fachkraft" in html and "fachlich ausgerichtete Tätigkeiten" in html
    assert "Speisenzubereitung" in html and "Köche (Untergruppe)" in html


def test_search_page_paginates_with_constant_queries(login: Callable[[str], Client], count_queries) -> None:
    Occupation.objects.bulk_create(
        [
            Occupation(code=f"8{n:04d}"[:5], title=f"Testberuf {n}", search_title=f"testberuf {n}")
            for n in range(1, 60)
        ],
        ignore_conflicts=True,
    )
    client = login("po_a")
    client.get(reverse("placement:occupation_search"), {"q": "testberuf"})  # warm the session
    with count_queries() as small:
        client.get(reverse("placement:occupation_search"), {"q": "testberuf 1"})
    with count_queries() as large:
        response = client.get(reverse("placement:occupation_search"), {"q": "testberuf"})
    assert small.count == large.count
    assert "?q=testberuf&amp;page=2" in response.content.decode()


def test_htmx_fragment_lists_full_codes_for_the_field(login: Callable[[str], Client]) -> None:
    Occupation.objects.update_or_create(code="29302", defaults={"title": "Köche – Fachkraft"})
    Occupation.objects.update_or_create(code="293", defaults={"title": "Speisenzubereitung"})
    response = login("cm_a").get(
        reverse("placement:occupation_search"), {"q": "293", "field": "id_occupation"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-occupation-code="29302"' in html and 'data-occupation-target="id_occupation"' in html
    assert 'data-occupation-code="293"' not in html  # groups are no choice for an opportunity
    hostile = login("cm_a").get(
        reverse("placement:occupation_search"), {"q": "293", "field": '"><script>'}, HTTP_HX_REQUEST="true"
    )
    assert "<script>" not in hostile.content.decode()


def test_search_is_for_placement_staff_only(login: Callable[[str], Client]) -> None:
    assert login("coordinator").get(reverse("placement:occupation_search")).status_code == 404
    assert Client().get(reverse("placement:occupation_search")).status_code == 302


def test_occupation_field_widget_and_validation() -> None:
    Occupation.objects.update_or_create(code="29302", defaults={"title": "Köche – Fachkraft"})
    field = OccupationField()
    html = field.widget.render("occupation", "29302", attrs={"id": "id_occupation"})
    assert 'name="occupation"' in html and 'value="29302"' in html
    assert 'for="id_occupation-search"' in html and 'aria-live="polite"' in html
    assert f'hx-get="{reverse("placement:occupation_search")}?field=id_occupation"' in html
    assert 'target="_blank"' in html  # works without JavaScript: the search page in a new tab
    cleaned = field.clean("29302")
    assert cleaned is not None and cleaned.code == "29302"
    from django import forms

    with pytest.raises(forms.ValidationError) as error:
        field.clean("2930")
    assert error.value.code == "format"
    with pytest.raises(forms.ValidationError) as error:
        field.clean("99999")
    assert error.value.code == "unknown"


def test_title_search_at_30000_rows_is_fast() -> None:
    """The title search scans the table (`contains`); measured once at 30,000 rows."""
    Occupation.objects.bulk_create(
        [
            Occupation(code=f"{n:05d}", title=f"Beruf Nummer {n}", search_title=f"beruf nummer {n}")
            for n in range(30000)
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )
    started = time.perf_counter()
    list(occupation_search("nummer 2999")[:25])
    list(occupation_search("2999")[:25])
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, elapsed
