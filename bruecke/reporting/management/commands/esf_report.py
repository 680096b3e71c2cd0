"""`manage.py esf_report`: the ESF indicator report for the operator, without a user.

    manage.py esf_report --project 3 --from 2025-01-01 --to 2025-12-31 [--scope team-7] [--format json]

The scope defaults to the project's whole network. Only counts are written, never a name.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bruecke.network.models import Network, Organisation, Team
from bruecke.projects.models import Project
from bruecke.reporting.indicators import IndicatorReport, ReportRequest, compute_report
from bruecke.reporting.scope import ReportScope


def _date(value: str, option: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: not a date in the form YYYY-MM-DD: {value!r}") from None


def _project(value: str) -> Project:
    if value.isdigit():
        project = Project.objects.filter(pk=int(value)).first()
    else:
        matches = list(Project.objects.filter(name=value)[:2])
        if len(matches) > 1:
            raise CommandError(f"--project: several projects are named {value!r}; please give the id.")
        project = matches[0] if matches else None
    if project is None:
        raise CommandError(f"--project: no project {value!r}.")
    return project


def _scope(project: Project, key: str | None) -> ReportScope:
    network: Network = project.network
    if not key or key == f"network-{network.pk}":
        return ReportScope(network_id=network.pk, key=f"network-{network.pk}", label=network.name)
    kind, _sep, number = key.partition("-")
    if not number.isdigit() or kind not in ("org", "team"):
        raise CommandError(f"--scope: expected network-<id>, org-<id> or team-<id>, not {key!r}.")
    if kind == "org":
        organisation = Organisation.objects.filter(pk=int(number), network=network).first()
        if organisation is None:
            raise CommandError(f"--scope: no partner {number} in the project's network.")
        return ReportScope(network.pk, key, organisation.name, organisation_id=organisation.pk)
    team = Team.objects.filter(pk=int(number), network=network).first()
    if team is None:
        raise CommandError(f"--scope: no team {number} in the project's network.")
    return ReportScope(network.pk, key, team.name, team_id=team.pk)


def as_json(report: IndicatorReport) -> dict[str, Any]:
    request = report.request
    return {
        "project": {"id": request.project.pk, "name": request.project.name},
        "period": {"from": request.start.isoformat(), "to": request.end.isoformat()},
        "scope": request.scope.key,
        "variant": report.variant,
        "settings": dict(report.settings_used),
        "indicators": {
            item.code: {
                "label": item.label,
                "group": item.group,
                "total": item.values.total,
                "women": item.values.women,
                "men": item.values.men,
                "non_binary": item.values.non_binary,
                **({"refused": item.refused} if item.refused is not None else {}),
                **({"unknown": item.unknown} if item.unknown is not None else {}),
            }
            for item in report.indicators
        },
        "checks": [{"label": c.label, "holds": c.holds, "detail": c.detail} for c in report.checks],
        "incomplete": report.incomplete_count,
        "joined_across_partners": report.joined_across_partners,
        "follow_up": {
            "due": report.follow_up.due,
            "answered": report.follow_up.answered,
            "rate": report.follow_up.rate,
        },
        "flags": {flag.key: flag.count for flag in report.flags},
    }


def as_text(report: IndicatorReport) -> str:
    request = report.request
    lines = [f"{request.project.name}: {request.start} – {request.end} ({request.scope.key})"]
    lines += [f"  {label}: {value}" for label, value in report.settings_used]
    lines.append(f"{'code':8} {'total':>7} {'women':>7} {'men':>7} {'non-bin':>7}  indicator")
    for item in report.indicators:
        v = item.values
        lines.append(f"{item.code:8} {v.total:7} {v.women:7} {v.men:7} {v.non_binary:7}  {item.label}")
    lines += [f"check {'ok  ' if c.holds else 'FAIL'} {c.label} ({c.detail})" for c in report.checks]
    lines.append(f"incomplete: {report.incomplete_count}")
    lines.append(f"follow-up: {report.follow_up.answered} of {report.follow_up.due} answered")
    lines += [f"flag {flag.key}: {flag.count}" for flag in report.flags]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Writes the ESF indicator report of a project and period (counts only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--project", required=True, help="project id or exact name")
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--scope", default=None, help="network-<id>, org-<id> or team-<id>")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        project = _project(options["project"])
        start, end = _date(options["start"], "--from"), _date(options["end"], "--to")
        if end < start:
            raise CommandError("--to: the end of the period cannot be before its start.")
        report = compute_report(ReportRequest(project, start, end, _scope(project, options["scope"])))
        if options["format"] == "json":
            self.stdout.write(json.dumps(as_json(report), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(as_text(report))
