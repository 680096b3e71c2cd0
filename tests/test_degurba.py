"""Rural area (EECO17) derived from the municipality's degree of urbanisation."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bruecke.esf.models import EntryRecord, Municipality, derived_rural
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant

CSV = "\ufeffLAU_CODE;LAU_NAME;DGURBA\n13003000;Rostock;1\n13072055;Güstrow;2\n13075001;Altentreptow;3\n"


def _import(tmp_path: Path, text: str) -> None:
    path = tmp_path / "degurba.csv"
    path.write_text(text, encoding="utf-8")
    call_command("import_degurba", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_import_with_bom_and_semicolons_and_again(db: None, tmp_path: Path) -> None:
    _import(tmp_path, CSV)
    _import(tmp_path, CSV.replace("Altentreptow;3", "Altentreptow;2"))
    assert Municipality.objects.count() == 3
    assert Municipality.objects.get(lau_code="13075001").degurba == 2


@pytest.mark.parametrize(
    "text",
    [
        "LAU_CODE,LAU_NAME\n1,Rostock\n",
        "LAU_CODE;LAU_NAME;DGURBA\n13003000;Rostock;1\n13072055;Güstrow;4\n",
        "LAU_CODE;LAU_NAME;DGURBA\n;Rostock;1\n",
        "LAU_CODE;LAU_NAME;DGURBA\n",
    ],
)
def test_bad_files_import_nothing(db: None, tmp_path: Path, text: str) -> None:
    with pytest.raises(CommandError):
        _import(tmp_path, text)
    assert not Municipality.objects.exists()


def test_rural_is_derived_unless_recorded(demo: DemoNetwork, tmp_path: Path) -> None:
    _import(tmp_path, CSV)
    assert derived_rural("  altentreptow ") is True
    assert derived_rural("Rostock") is False
    assert derived_rural("Nirgendwo") is None
    assert derived_rural("") is None
    person = Participant.objects.get(family_name="Rahimi")
    person.town = "Altentreptow"
    record = EntryRecord(participant=person, organisation=person.organisation)
    assert record.rural is True
    record.rural_area = False
    assert record.rural is False  # what staff recorded wins


def test_ambiguous_names_stay_unknown(db: None, tmp_path: Path) -> None:
    _import(tmp_path, "LAU_CODE;LAU_NAME;DGURBA\n1;Neustadt;1\n2;Neustadt;3\n")
    assert derived_rural("Neustadt") is None
