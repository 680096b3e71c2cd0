"""Opening a case, and the rule every write that places a case must keep."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseStatus, EventKind
from bruecke.cases.selectors.cases import case_visible_to, cases_visible_to, organisation_teams
from bruecke.cases.services.timeline import record_event
from bruecke.core.access import Perm, memberships_with
from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction
from bruecke.core.services import model_create
from bruecke.network.models import Team
from bruecke.placement.services.match_profiles import refresh_for_case


def check_team(case: Case) -> None:
    """A case's team must be one its own partner works in (never another partner's)."""
    teams = organisation_teams(case.organisation_id)
    if case.team_id is not None and not teams.filter(pk=case.team_id).exists():
        raise ValidationError({"team": _("Please choose a team of this partner organisation.")})


def require_visible_to_case_manager(case: Case) -> None:
    """Called after a write that places a case, inside its transaction: raising undoes it.

    The open-case rule counts every open case of a participant at a partner, the pages show
    only the cases a user sees. Asking the visibility rule itself whether the responsible
    case manager sees the stored case keeps the two from ever disagreeing again.
    """
    if not case_visible_to(case.case_manager, case):
        message = _("This case manager works in another team and would not see the case.")
        raise ValidationError({"team": message})


@transaction.atomic
def case_open(*, actor: User, case: Case) -> Case:
    case.organisation = case.participant.organisation
    check_team(case)
    model_create(actor=actor, instance=case)
    require_visible_to_case_manager(case)
    record_event(actor=actor, case=case, kind=EventKind.OPENED, occurred_on=case.opened_on, obj=case)
    refresh_for_case(case)
    return case


def misplaced_cases() -> list[Case]:
    """Cases that lie outside their partner: in a team where the partner has no staff, or
    (open ones) where their own case manager cannot open them. Made by the old case form,
    which offered every team of the network. One query per partner and per case manager."""
    found: dict[int, Case] = {}
    teams_of: dict[int, set[int]] = {}
    for case in Case.objects.filter(team__isnull=False).select_related("case_manager", "participant"):
        if case.organisation_id not in teams_of:
            teams_of[case.organisation_id] = set(
                organisation_teams(case.organisation_id).values_list("pk", flat=True)
            )
        if case.team_id not in teams_of[case.organisation_id]:
            found[case.pk] = case
    open_cases = Case.objects.exclude(status=CaseStatus.CLOSED)
    for manager in User.objects.filter(pk__in=open_cases.values("case_manager")):
        # The visibility rule itself decides, as in require_visible_to_case_manager.
        hidden = open_cases.filter(case_manager=manager).exclude(
            pk__in=cases_visible_to(manager).values("pk")
        )
        for case in hidden.select_related("case_manager", "participant"):
            found[case.pk] = case
    return sorted(found.values(), key=lambda case: case.pk)


def repair_team_for(case: Case) -> Team | None:
    """Where a misplaced case goes: its case manager's team at the case's partner, else the
    participant's team if the partner works there, else no team (the whole partner)."""
    teams = organisation_teams(case.organisation_id)
    for membership in memberships_with(case.case_manager, Perm.VIEW_PERSONAL_DATA):
        team = membership.team
        here = membership.organisation_id == case.organisation_id
        if here and team is not None and teams.filter(pk=team.pk).exists():
            return team
    participant_team = case.participant.team_id
    if participant_team is not None and teams.filter(pk=participant_team).exists():
        return Team.objects.get(pk=participant_team)
    return None


@transaction.atomic
def case_team_repair(*, actor: User | None, case: Case, team: Team | None) -> Case:
    """Moves a misplaced case to `team` of its own partner (operator repair; audited, on
    the timeline). Refused when its case manager would still not see it."""
    current = Case.objects.select_for_update().get(pk=case.pk)
    current.team = team
    check_team(current)
    current.version += 1
    current.save(update_fields=["team", "version", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=current, changed_fields=["team"])
    record_event(
        actor=actor, case=current, kind=EventKind.CASE_CHANGED, obj=current, details={"fields": ["team"]}
    )
    require_visible_to_case_manager(current)
    refresh_for_case(current)
    return current
