"""Demo data of the import: the saved mapping "Arbeitgeberliste 2024" of partner A for
employers, and one finished import of a small employer list by its placement officer
(through the same services and engine as a real upload)."""

from __future__ import annotations

from bruecke.network.demo import DemoNetwork
from bruecke.spreadsheets import services
from bruecke.spreadsheets.base import ImportContext
from bruecke.spreadsheets.convert import Plan
from bruecke.spreadsheets.engine import RowResult, run_file
from bruecke.spreadsheets.models import ImportMapping, ImportRun
from bruecke.spreadsheets.reading import read_table
from bruecke.spreadsheets.registry import get

MAPPING_NAME = "Arbeitgeberliste 2024"
FILE_NAME = "arbeitgeberliste-2024.csv"
COLUMNS = {"external_id": "Nr.", "name": "Firma", "sector": "Branche", "notes": "Bemerkungen"}
VALUES = {"sector": {"gastronomie": "I", "handwerk": "F", "einzelhandel": "G"}}
ROWS = [
    ["Nr.", "Firma", "Branche", "Bemerkungen"],
    ["AG-101", "Hotel Warnowblick", "Gastronomie", "Sucht Servicekräfte, Sprachniveau A2 genügt"],
    ["AG-102", "Dachdeckerei Peters", "Handwerk", "Bildet jedes Jahr aus"],
    ["AG-103", "Bioladen Lindenhof", "Einzelhandel", ""],
]


def seed_spreadsheets(demo: DemoNetwork) -> None:
    entity = get("employers")
    user = demo.users["po_a"]
    organisation = demo.partners["A"]
    if entity is None or ImportRun.objects.filter(created_by=user, file_name=FILE_NAME).exists():
        return
    mapping = ImportMapping.objects.filter(
        organisation=organisation, entity=entity.key, name=MAPPING_NAME
    ).first()
    if mapping is None:
        mapping = services.mapping_save(
            actor=user,
            organisation=organisation,
            entity=entity.key,
            name=MAPPING_NAME,
            columns=COLUMNS,
            values=VALUES,
        )
    data = "".join(";".join(row) + "\r\n" for row in ROWS).encode("utf-8-sig")
    run = services.run_create(
        actor=user,
        entity=entity,
        organisation=organisation,
        upload=services.Upload(FILE_NAME, data),
        language="de",
        mapping=mapping,
    )
    # What the import job does, in this process: the file all or nothing, then the results.
    ctx = ImportContext(actor=user, organisation=organisation, entity=entity.key)
    results: list[RowResult] = []
    plan = Plan(entity, dict(run.columns), dict(run.values))
    counts = run_file(ctx, plan, read_table(data, FILE_NAME), dry_run=False, on_row=results.append)
    services.run_record_result(run=run, entity=entity, results=results, counts=counts, dry_run=False)
