"""The operator command `import_spreadsheet`: dry run, import, unchanged re-import, errors
with exit status and nothing imported, mappings from the app and from JSON files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.placement.models import Employer
from bruecke.spreadsheets.models import ImportMapping, ImportRow, ImportRun, RunState

HEADER = ["Nr.", "Firma", "Branche", "Notizen"]
ROWS = [["1", "Bäckerei Kurz", "Gastronomie", "Mittagstisch"], ["2", "Tischlerei Holz", "C", ""]]


def _csv(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


def _values(tmp_path: Path) -> Path:
    path = tmp_path / "werte.json"
    path.write_text(json.dumps({"sector": {"Gastronomie": "I"}}), encoding="utf-8")
    return path


def _call(demo: DemoNetwork, path: Path, *args: str, user: str = "po_a") -> str:
    out = io.StringIO()
    call_command(
        "import_spreadsheet",
        str(path),
        "--entity=employers",
        f"--organisation={demo.partners['A'].name}",
        f"--user={demo.users[user].username}",
        *args,
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue()


def _names(demo: DemoNetwork) -> set[str]:
    return set(Employer.objects.filter(organisation=demo.partners["A"]).values_list("name", flat=True))


@pytest.mark.django_db
def test_dry_run_import_and_unchanged_reimport(demo: DemoNetwork, tmp_path: Path) -> None:
    path = _csv(tmp_path / "arbeitgeber.csv", [HEADER, *ROWS])
    before = Employer.objects.count()

    out = _call(demo, path, "--dry-run", f"--values={_values(tmp_path)}")
    assert Employer.objects.count() == before
    assert "Zeilen: 2, neu: 2, aktualisiert: 0, unverändert: 0, Fehler: 0" in out
    assert "Probelauf" in out

    out = _call(demo, path, f"--values={_values(tmp_path)}")
    assert Employer.objects.count() == before + 2
    assert {"Bäckerei Kurz", "Tischlerei Holz"} <= _names(demo)
    assert Employer.objects.get(name="Bäckerei Kurz").sector == "I"
    run = ImportRun.objects.filter(state=RunState.IMPORTED).latest("created_at")
    assert (run.entity, run.organisation, run.created_by) == (
        "employers",
        demo.partners["A"],
        demo.users["po_a"],
    )
    assert run.counts["created"] == 2 and len(run.file_sha256) == 64 and run.file_name == "arbeitgeber.csv"
    event = AuditEvent.objects.get(action=AuditAction.IMPORT, object_id=str(run.pk))
    assert (event.object_id, event.actor, event.organisation) == (
        str(run.pk),
        demo.users["po_a"],
        run.organisation,
    )

    events = AuditEvent.objects.count()
    out = _call(demo, path, f"--values={_values(tmp_path)}", "--language=en")
    assert "rows: 2, new: 0, updated: 0, unchanged: 2, errors: 0" in out
    assert Employer.objects.count() == before + 2
    assert AuditEvent.objects.count() == events + 1  # the run's IMPORT event only


@pytest.mark.django_db
def test_row_errors_exit_non_zero_and_import_nothing(demo: DemoNetwork, tmp_path: Path) -> None:
    rows = [*ROWS, ["3", "Kiosk", "Gastronomie", ""], ["3", "Kiosk Zwei", "I", ""], ["4", "", "I", ""]]
    path = _csv(tmp_path / "arbeitgeber.csv", [HEADER, *rows])
    before = Employer.objects.count()
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "import_spreadsheet",
            str(path),
            "--entity=employers",
            f"--organisation={demo.partners['A'].pk}",
            "--user=jonas.krause",
            f"--values={_values(tmp_path)}",
            "--language=en",
            stdout=out,
            stderr=io.StringIO(),
        )
    assert raised.value.returncode == 1
    assert "nothing was imported" in str(raised.value)
    assert Employer.objects.count() == before
    lines = out.getvalue()
    assert "row 5, column “Nr.”: This external id appears twice in the file (first in row 4)." in lines
    assert "row 6, column “Firma”: This column must not be empty." in lines
    run = ImportRun.objects.latest("created_at")
    assert run.state == RunState.REJECTED and run.counts["errors"] == 2
    assert sorted(ImportRow.objects.filter(run=run).values_list("row_number", flat=True)) == [5, 6]
    assert ImportRow.objects.get(run=run, row_number=6).errors[0]["column"] == "Firma"
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT, object_id=str(run.pk)).exists()


@pytest.mark.django_db
def test_unmapped_required_column_and_bad_arguments_exit_2(demo: DemoNetwork, tmp_path: Path) -> None:
    runs_before = ImportRun.objects.count()  # the demo has a finished import
    path = _csv(tmp_path / "liste.csv", [["Nr.", "Firma"], ["1", "Bäckerei Kurz"]])
    with pytest.raises(CommandError) as raised:
        _call(demo, path)
    assert raised.value.returncode == 2
    assert "„Branche (WZ 2008)“ (sector)" in str(raised.value)
    good = _csv(tmp_path / "arbeitgeber.csv", [HEADER, *ROWS])
    # A case manager may not import employers; a partner's name that does not exist; a bad sheet file.
    for args, user in (([], "cm_a"), (["--mapping=fehlt"], "po_a")):
        with pytest.raises(CommandError) as raised:
            _call(demo, good, *args, user=user)
        assert raised.value.returncode == 2
    not_a_sheet = tmp_path / "bild.png"
    not_a_sheet.write_bytes(b"\x89PNG")
    with pytest.raises(CommandError) as raised:
        _call(demo, not_a_sheet)
    assert raised.value.returncode == 2
    assert ImportRun.objects.count() == runs_before


@pytest.mark.django_db
def test_saved_mapping_and_column_file(demo: DemoNetwork, tmp_path: Path) -> None:
    path = _csv(tmp_path / "alt.csv", [["Kennung", "Betrieb", "Bereich"], ["x1", "Café Rose", "Gastro"]])
    ImportMapping.objects.create(
        organisation=demo.partners["A"],
        entity="employers",
        name="Altliste",
        columns={"external_id": "Kennung", "name": "Betrieb", "sector": "Bereich"},
        values={"sector": {"gastro": "I"}},
    )
    _call(demo, path, "--mapping=Altliste", "--dry-run")
    assert "Café Rose" not in _names(demo)
    columns = tmp_path / "spalten.json"
    columns.write_text(json.dumps({"external_id": "Kennung", "name": "Betrieb", "sector": "Bereich"}))
    values = tmp_path / "werte.json"
    values.write_text(json.dumps({"sector": {"Gastro": "I"}}))
    _call(demo, path, f"--columns={columns}", f"--values={values}")
    assert Employer.objects.get(name="Café Rose").sector == "I"
    values.write_text(json.dumps({"sector": {"Gastro": "nope"}}))
    with pytest.raises(CommandError) as raised:
        _call(demo, path, f"--columns={columns}", f"--values={values}")
    assert raised.value.returncode == 2 and "nope" in str(raised.value)


@pytest.mark.django_db
def test_a_filled_template_sheet_imports_with_sheet_option(demo: DemoNetwork, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from bruecke.spreadsheets import registry
    from bruecke.spreadsheets.template import build_template

    employers = registry.get("employers")
    assert employers is not None
    with translation.override("de"):
        book = load_workbook(io.BytesIO(build_template([employers])))
    book["Arbeitgeber"].append(["T-1", "Gärtnerei Grün", "A – Land- und Forstwirtschaft, Fischerei"])
    path = tmp_path / "vorlage.xlsx"
    book.save(path)
    with pytest.raises(CommandError) as raised:
        _call(demo, path, "--sheet=Fehlt")
    assert raised.value.returncode == 2
    out = _call(demo, path, "--sheet=Arbeitgeber")
    assert "Zeilen: 1, neu: 1," in out
    assert Employer.objects.get(name="Gärtnerei Grün").sector == "A"
