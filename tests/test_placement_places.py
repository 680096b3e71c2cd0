"""Places for distances: the towns of Mecklenburg-Vorpommern from the migration, and
`manage.py load_places` (all or nothing, clear errors with row numbers, idempotent)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from bruecke.placement import places
from bruecke.placement.models import Place

HEADER = "name;postcode;district;latitude;longitude\n"


def _load(tmp_path: Path, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / "places.csv"
    path.write_text(text, encoding=encoding)
    out = StringIO()
    call_command("load_places", str(path), stdout=out)
    return out.getvalue()


def test_the_migration_loaded_the_towns_of_mecklenburg_vorpommern(db: None) -> None:
    rows = places.parse(places.DATA_FILE.read_text(encoding="utf-8"))
    assert 60 <= len(rows) <= 80
    assert Place.objects.filter(name="Rostock", postcode="18055").exists()
    assert Place.objects.filter(district="Vorpommern-Greifswald").count() >= 8
    for row in rows:  # all within Mecklenburg-Vorpommern's bounding box
        assert 53.0 < row.latitude < 54.8 and 10.5 < row.longitude < 14.5, row.name


def test_load_with_bom_and_commas_then_again_updates(db: None, tmp_path: Path) -> None:
    text = (
        "\ufeffname,postcode,district,latitude,longitude\n"
        "Neuruppin,16816,Ostprignitz-Ruppin,52.92815,12.80311\n"
    )
    assert "1 places created, 0 updated." in _load(tmp_path, text)
    place = Place.objects.get(name="Neuruppin")
    assert str(place.latitude) == "52.92815" and place.search_name == "neuruppin"
    moved = text.replace("52.92815", "52.93000")
    assert "0 places created, 1 updated." in _load(tmp_path, moved)
    assert Place.objects.filter(name="Neuruppin").count() == 1
    assert str(Place.objects.get(name="Neuruppin").latitude) == "52.93000"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name;plz;district;lat;lon\nA;12345;X;52;13\n", "Row 1: the columns must be"),
        (
            HEADER + "Kyritz;16866;OPR;52.94;12.40\nKyritz;16866;OPR;52.95;12.41\n",
            "Row 3: Kyritz 16866 appears already in row 2",
        ),
        (HEADER + "Kyritz;1686;OPR;52.94;12.40\n", "Row 2: the postcode '1686' is not five digits"),
        (
            HEADER + "Kyritz;16866;OPR;95;12.40\n",
            "Row 2: the latitude '95' is not a number between -90 and 90",
        ),
        (HEADER + "Kyritz;16866;OPR;52.94;Ost\n", "Row 2: the longitude 'Ost' is not a number"),
        (HEADER + ";16866;OPR;52.94;12.40\n", "Row 2: the name is missing"),
        (HEADER + "Kyritz;16866;OPR;52.94\n", "Row 2: expected 5 values, found 4."),
        (HEADER, "The file has no rows."),
        ("", "The file is empty."),
    ],
)
def test_bad_files_load_nothing_and_name_the_row(db: None, tmp_path: Path, text: str, message: str) -> None:
    before = Place.objects.count()
    with pytest.raises(CommandError) as error:
        _load(tmp_path, text)
    assert message in str(error.value)
    assert "Nothing was loaded." in str(error.value)
    assert Place.objects.count() == before


def test_good_rows_before_a_bad_one_are_not_loaded(db: None, tmp_path: Path) -> None:
    text = HEADER + "Wittstock;16909;OPR;53.16;12.48\nKyritz;1686;OPR;52.94;12.40\n"
    with pytest.raises(CommandError, match="Row 3: the postcode"):
        _load(tmp_path, text)
    assert not Place.objects.filter(name="Wittstock").exists()


def test_every_bad_row_is_listed(db: None, tmp_path: Path) -> None:
    text = HEADER + "A;1;X;52;13\nB;12345;X;x;13\n"
    with pytest.raises(CommandError) as error:
        _load(tmp_path, text)
    assert "Row 2:" in str(error.value) and "Row 3:" in str(error.value)


def test_a_file_that_is_not_utf8_is_refused(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read"):
        _load(tmp_path, HEADER + "Güstrow;18273;LRO;53.79;12.17\n", encoding="latin-1")
