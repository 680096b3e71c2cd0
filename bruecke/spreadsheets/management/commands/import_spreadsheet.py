"""Imports a spreadsheet (XLSX or CSV) for one organisation, as a user of it, exactly as the
import pages do: column and value mapping, every row checked, all or nothing, idempotent
through the external id, recorded as an import run and audited.

Exit status: 0 done (or a dry run without errors), 1 rows with errors or possible
duplicates of participants without --allow-duplicates (nothing imported), 2 the file or
the arguments cannot be used (nothing run)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.network.models import Organisation
from bruecke.spreadsheets import duplicates, registry
from bruecke.spreadsheets.base import Entity, ImportContext
from bruecke.spreadsheets.batch import PlanError, Source, build_plan, import_file, may_import
from bruecke.spreadsheets.convert import Plan
from bruecke.spreadsheets.engine import Counts, RowResult
from bruecke.spreadsheets.models import ImportMapping
from bruecke.spreadsheets.reading import UnreadableFile, read_table

ROWS_FAILED = 1
CANNOT_RUN = 2
PROGRESS_EVERY = 5000


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=CANNOT_RUN)


def _json_file(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _fail(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}) from None
    if not isinstance(data, dict):
        raise _fail(_("%(path)s must hold a JSON object.") % {"path": path})
    return data


def _organisation(text: str) -> Organisation:
    by_number = text.isascii() and text.isdigit() and len(text) < 19
    found = list(Organisation.objects.filter(pk=int(text)) if by_number else [])
    found = found or list(Organisation.objects.filter(name=text)[:2])
    if len(found) != 1:
        raise _fail(_("No single organisation with the number or name “%(name)s”.") % {"name": text})
    return found[0]


def _user(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise _fail(_("No active user “%(name)s”.") % {"name": username})
    return user


def _entity(key: str) -> Entity:
    entity = registry.get(key)
    if entity is None:
        keys = ", ".join(e.key for e in registry.all_entities())
        raise _fail(_("Unknown data type “%(key)s”. Known: %(keys)s") % {"key": key, "keys": keys})
    return entity


class Command(BaseCommand):
    help = (
        "Imports an XLSX or CSV file for one organisation as one of its users (all or nothing; "
        "re-importing the same rows changes nothing). Exit status 0 done, 1 rows with errors "
        "(nothing imported), 2 the file or the arguments cannot be used."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the XLSX or CSV file")
        parser.add_argument("--entity", required=True, help="data type, e.g. participants or employers")
        parser.add_argument("--organisation", required=True, help="the organisation's number or exact name")
        parser.add_argument("--user", required=True, help="username of the importing staff member")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--mapping", help="name of a column and value mapping saved in the app")
        group.add_argument("--columns", type=Path, help='JSON file {"column key": "header of the file"}')
        parser.add_argument("--values", type=Path, help='JSON file {"column key": {"word": "code"}}')
        parser.add_argument("--dry-run", action="store_true", help="check every row, save nothing")
        parser.add_argument(
            "--allow-duplicates",
            action="store_true",
            help="import participants even if some are probably registered already (after checking them)",
        )
        parser.add_argument("--sheet", default="", help="worksheet of an XLSX file (default: the first)")
        parser.add_argument(
            "--language", default=settings.LANGUAGE_CODE, choices=[code for code, _name in settings.LANGUAGES]
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        entity, organisation = _entity(options["entity"]), _organisation(options["organisation"])
        user = _user(options["user"])
        if not may_import(user, organisation, entity):
            raise _fail(_("This user may not import this data type into this organisation."))
        source = self._read(options["file"], options["sheet"])
        mapping = self._mapping(options["mapping"], organisation, entity)
        try:
            plan = build_plan(
                entity,
                source.table,
                mapping=mapping,
                columns=_json_file(options["columns"]),
                values=_json_file(options["values"]),
            )
        except PlanError as error:
            raise _fail(str(error)) from None
        self._print_plan(plan)
        dry_run: bool = options["dry_run"]
        self._check_duplicates(
            user, organisation, plan, source, stop=not (dry_run or options["allow_duplicates"])
        )
        _run, counts = import_file(
            actor=user,
            organisation=organisation,
            source=source,
            plan=plan,
            dry_run=dry_run,
            on_row=lambda result: self._print_row(plan, result),
            progress=self._progress,
            mapping=mapping,
        )
        self._print_counts(counts, dry_run=dry_run)
        if counts.errors:
            raise CommandError(
                _("%(count)s row(s) with errors: nothing was imported.") % {"count": counts.errors},
                returncode=ROWS_FAILED,
            )

    def _check_duplicates(
        self, user: User, organisation: Organisation, plan: Plan, source: Source, *, stop: bool
    ) -> None:
        """Lists the probable duplicates of new participants; stops before importing
        (exit status 1) unless it is a dry run or they are allowed."""
        ctx = ImportContext(actor=user, organisation=organisation, entity=plan.entity.key)
        found = duplicates.with_registrations(
            user, duplicates.probable_duplicates(ctx, duplicates.file_rows(plan, source.table))
        )
        for warning in found:
            if warning.participant is not None:
                other = _("registration %(number)s (%(name)s, born %(born)s)") % {
                    "number": warning.participant.pk,
                    "name": warning.participant.full_name,
                    "born": warning.participant.birth_date_display,
                }
            else:
                other = _("row %(row)s") % {"row": warning.other_row}
            text = _(
                "row %(row)s: possibly the same person as %(other)s, probability %(percent)s %%: %(evidence)s"
            )
            self.stdout.write(
                text
                % {
                    "row": warning.row_number,
                    "other": other,
                    "percent": f"{warning.percent:.1f}",
                    "evidence": warning.evidence_text(),
                }
            )
        if found and stop:
            raise CommandError(
                _(
                    "%(count)s possible duplicate(s): nothing was imported. Check them, then run "
                    "again with --allow-duplicates."
                )
                % {"count": len(found)},
                returncode=ROWS_FAILED,
            )

    def _read(self, path: Path, sheet: str) -> Source:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise _fail(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}) from None
        try:
            table = read_table(data, path.name, sheet=sheet)
        except UnreadableFile as error:
            raise _fail(error.message) from None
        except KeyError:
            raise _fail(_("The file has no worksheet “%(sheet)s”.") % {"sheet": sheet}) from None
        return Source.of(path, data, table)

    def _mapping(self, name: str | None, organisation: Organisation, entity: Entity) -> ImportMapping | None:
        if not name:
            return None
        mapping = ImportMapping.objects.filter(
            organisation=organisation, entity=entity.key, name=name
        ).first()
        if mapping is None:
            raise _fail(_("No saved mapping “%(name)s” for this data type.") % {"name": name})
        return mapping

    def _print_plan(self, plan: Plan) -> None:
        for column in plan.entity.all_columns():
            header = plan.columns.get(column.key)
            if header is not None:
                self.stdout.write(f"  {header} -> {column.label} ({column.key})")

    def _print_row(self, plan: Plan, result: RowResult) -> None:
        for key, message in result.errors:
            column = plan.columns.get(key, key) if key else ""
            where = _("row %(row)s, column “%(column)s”") if column else _("row %(row)s")
            self.stdout.write(f"{where % {'row': result.row_number, 'column': column}}: {message}")

    def _progress(self, rows: int) -> None:
        if rows % PROGRESS_EVERY == 0:
            self.stderr.write(_("%(rows)s rows done") % {"rows": rows})

    def _print_counts(self, counts: Counts, *, dry_run: bool) -> None:
        title = _("Dry run (nothing saved)") if dry_run else _("Import")
        numbers = _(
            "rows: %(rows)s, new: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s, "
            "errors: %(errors)s"
        )
        self.stdout.write(f"{title}: {numbers % counts.as_dict()}")
