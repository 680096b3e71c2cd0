"""Persona × URL expectations for the spreadsheets app: imports (merged into tests/access_expectations.py)."""

from __future__ import annotations

from typing import Any

from bruecke.core.access import ROLE_PERMISSIONS
from bruecke.network.demo import PERSONAS as DEMO_PERSONAS
from bruecke.network.demo import DemoNetwork
from bruecke.spreadsheets.models import ImportRun
from bruecke.spreadsheets.registry import all_entities
from tests.access_expectations_base import ANON, LOGIN_REDIRECT, Expect

FILE_NAME = "matrix-arbeitgeber.csv"
FILE = "Nr.;Firma;Branche\r\n1;Café Matrix;Gastronomie\r\n".encode("utf-8-sig")


def _importers() -> dict[str, int]:
    """Personas whose role holds the permission of at least one importable entity type
    (more personas join as entity types are registered)."""
    permissions = {entity.permission for entity in all_entities()}
    return {
        key: 200
        for key, (*_names, role) in DEMO_PERSONAS.items()
        if ROLE_PERMISSIONS.get(role, frozenset()) & permissions
    }


def _run(demo: DemoNetwork) -> dict[str, Any]:
    """An employer import of the team lead of partner A (through the service; the team lead
    is one of the personas the axe sweep of every page signs in as)."""
    from bruecke.spreadsheets import services
    from bruecke.spreadsheets.registry import get

    user = demo.users["team_lead"]
    run = ImportRun.objects.filter(created_by=user, file_name=FILE_NAME).first()
    if run is None:
        entity = get("employers")
        assert entity is not None
        run = services.run_create(
            actor=user,
            entity=entity,
            organisation=demo.partners["A"],
            upload=services.Upload(FILE_NAME, FILE),
            language="de",
        )
    return {"pk": run.pk}


def _secret(demo: DemoNetwork) -> str:
    return FILE_NAME


def _own_run(**options: Any) -> Expect:
    """A run page: only its uploader; everyone else 404 without a word about the file."""
    return Expect(
        default=404, statuses={ANON: LOGIN_REDIRECT, "team_lead": 200}, kwargs=_run, secret=_secret, **options
    )


_POST_ONLY = {"default": 405, "statuses": {ANON: LOGIN_REDIRECT}, "kwargs": _run, "is_page": False}

EXPECTATIONS: dict[str, Expect] = {
    "spreadsheets:import_list": Expect(default=404, statuses={ANON: LOGIN_REDIRECT, **_importers()}),
    "spreadsheets:import_upload": Expect(default=404, statuses={ANON: LOGIN_REDIRECT, **_importers()}),
    "spreadsheets:import_run": _own_run(),
    "spreadsheets:import_columns": _own_run(),
    # The worksheet choice: the matrix file is a CSV (no sheets), so its uploader is sent on
    # to the columns; a workbook's page is tested in tests/test_spreadsheets_sheets.py.
    "spreadsheets:import_sheet": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "team_lead": 302},
        kwargs=_run,
        secret=_secret,
        is_page=False,
    ),
    # The matrix file uses a word of its own ("Gastronomie"): the value page shows.
    "spreadsheets:import_values": _own_run(),
    "spreadsheets:import_replace": _own_run(),
    # POST only: a GET is refused with 405 before anything is looked up (the POSTs are
    # tested in tests/test_spreadsheets_flow.py).
    "spreadsheets:import_check": Expect(**_POST_ONLY),  # type: ignore[arg-type]
    "spreadsheets:import_start": Expect(**_POST_ONLY),  # type: ignore[arg-type]
    # The import template: file download for everyone who may import something.
    "spreadsheets:import_template": Expect(
        default=404, statuses={ANON: LOGIN_REDIRECT, **_importers()}, is_page=False
    ),
}
