"""Finds cases that nobody responsible can open and moves them into their own partner."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from bruecke.cases.services.cases import case_team_repair, misplaced_cases, repair_team_for


class Command(BaseCommand):
    help = (
        "Finds cases in a team where their partner has no staff, or that their own case "
        "manager cannot open, and moves each to the case manager's team at the case's "
        "partner (audited, on the case timeline). Prints case ids only, no personal data."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="only list what would be moved, change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run: bool = options["dry_run"]
        cases = misplaced_cases()
        if not cases:
            self.stdout.write("No misplaced cases.")
            return
        left = 0
        for case in cases:
            team = repair_team_for(case)
            target = team.name if team else "(whole partner, no team)"
            line = f"case {case.pk}: team {case.team or '-'} -> {target}"
            if dry_run:
                self.stdout.write(f"{line} (dry run)")
                continue
            try:
                case_team_repair(actor=None, case=case, team=team)
            except ValidationError as error:
                left += 1
                self.stdout.write(f"case {case.pk}: NOT moved, needs a person: {' '.join(error.messages)}")
            else:
                self.stdout.write(f"{line} (moved)")
        if left:
            self.stderr.write(
                f"{left} case(s) need a new case manager or team: edit them as the partner's team lead."
            )
