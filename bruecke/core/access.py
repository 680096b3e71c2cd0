"""Who may see and do what. The only place where access rules are written.

Every view, export, search and API endpoint asks this module. Anything outside a user's
scope is answered with 404, so the existence of a record is never revealed.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from bruecke.network.models import Membership, Network, Organisation, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from bruecke.accounts.models import User

M = TypeVar("M", bound=models.Model)


class Perm(StrEnum):
    VIEW_NETWORK = "view_network"  # the network page: offices, sites, consultation hours
    MANAGE_NETWORK = "manage_network"  # organisations, teams, offices, sites, staff
    VIEW_PERSONAL_DATA = "view_personal_data"  # participants and their cases
    EDIT_PARTICIPANTS = "edit_participants"  # register participants, record their data
    VIEW_AGGREGATES = "view_aggregates"  # figures across partners, no personal data
    VIEW_AUDIT = "view_audit"  # the audit log of the user's organisation
    VIEW_TEAM_CASELOADS = "view_team_caseloads"  # caseload figures of every staff member of the team
    DELETE_CASES = "delete_cases"  # delete a case with its records (audited exception)
    MANAGE_BREACHES = "manage_breaches"  # the organisation's register of data breaches
    # Contacts, tasks, profile and documents of a case (team scope; see WORK_ON_ASSIGNED_CASES).
    RECORD_CASE_WORK = "record_case_work"
    # The same, but only on cases where the user is the case's placement officer.
    WORK_ON_ASSIGNED_CASES = "work_on_assigned_cases"
    VIEW_PLACEMENT = "view_placement"  # employers, opportunities, matches, pipelines (read)
    MANAGE_PLACEMENT = "manage_placement"  # record employers, opportunities, pipeline steps, placements
    # The network's offers (decision 0043): catalogue of measures and providers, group offers,
    # trainings for partners, awareness events, cooperation partners; no personal data.
    VIEW_OFFERS = "view_offers"
    MANAGE_OFFERS = "manage_offers"  # record them for the own organisation; run group offers
    # The network's projects (ESF operations): funding period, partners, reporting settings
    # and targets. Figures about them need VIEW_AGGREGATES.
    MANAGE_PROJECTS = "manage_projects"
    # Review probable duplicates of the organisation, merge them or mark them distinct
    # (decision 0061): organisation-wide, since duplicates cross teams.
    REVIEW_DUPLICATES = "review_duplicates"


ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.CASE_MANAGER: frozenset(
        {
            Perm.VIEW_NETWORK,
            Perm.VIEW_PERSONAL_DATA,
            Perm.EDIT_PARTICIPANTS,
            Perm.RECORD_CASE_WORK,
            Perm.VIEW_PLACEMENT,
            Perm.VIEW_OFFERS,
            Perm.MANAGE_OFFERS,
        }
    ),
    # docs/decisions/0037: works on the cases assigned to them, reads the team's otherwise.
    Role.PLACEMENT_OFFICER: frozenset(
        {
            Perm.VIEW_NETWORK,
            Perm.VIEW_PERSONAL_DATA,
            Perm.WORK_ON_ASSIGNED_CASES,
            Perm.VIEW_PLACEMENT,
            Perm.MANAGE_PLACEMENT,
            Perm.VIEW_OFFERS,
            Perm.MANAGE_OFFERS,
        }
    ),
    Role.TEAM_LEAD: frozenset(
        {
            Perm.VIEW_NETWORK,
            Perm.VIEW_PERSONAL_DATA,
            Perm.EDIT_PARTICIPANTS,
            Perm.RECORD_CASE_WORK,
            Perm.VIEW_PLACEMENT,
            Perm.MANAGE_PLACEMENT,
            Perm.VIEW_OFFERS,
            Perm.MANAGE_OFFERS,
            Perm.VIEW_AGGREGATES,
            Perm.VIEW_TEAM_CASELOADS,
            Perm.DELETE_CASES,
            Perm.REVIEW_DUPLICATES,
        }
    ),
    Role.NETWORK_COORDINATOR: frozenset(
        {Perm.VIEW_NETWORK, Perm.VIEW_AGGREGATES, Perm.VIEW_OFFERS, Perm.MANAGE_PROJECTS}
    ),
    Role.DATA_PROTECTION_OFFICER: frozenset(
        {Perm.VIEW_NETWORK, Perm.VIEW_AUDIT, Perm.MANAGE_BREACHES, Perm.REVIEW_DUPLICATES}
    ),
    Role.ADMINISTRATOR: frozenset({Perm.VIEW_NETWORK, Perm.MANAGE_NETWORK}),
}

# Roles whose view of personal data is limited to their own team when they have one.
TEAM_NARROWED_ROLES = frozenset({Role.CASE_MANAGER, Role.PLACEMENT_OFFICER, Role.TEAM_LEAD})

_CACHE_ATTR = "_bruecke_memberships"


def memberships(user: User | AnonymousUser) -> list[Membership]:
    """The user's active memberships, loaded once per request (cached on the user)."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[Membership] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, ended_on__isnull=True, organisation__is_active=True)
            .select_related("organisation__network", "team")
            .order_by("organisation__name", "role")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user: User) -> None:
    """Drop the per-request cache after memberships changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def memberships_with(user: User | AnonymousUser, perm: Perm) -> list[Membership]:
    return [m for m in memberships(user) if perm in ROLE_PERMISSIONS.get(m.role, frozenset())]


def has_perm(user: User | AnonymousUser, perm: Perm) -> bool:
    return bool(memberships_with(user, perm))


def require(user: User | AnonymousUser, perm: Perm) -> None:
    if not has_perm(user, perm):
        raise Http404


def network_ids(user: User | AnonymousUser, perm: Perm = Perm.VIEW_NETWORK) -> set[int]:
    return {m.organisation.network_id for m in memberships_with(user, perm)}


def networks_visible_to(user: User | AnonymousUser, perm: Perm = Perm.VIEW_NETWORK) -> QuerySet[Network]:
    return Network.objects.filter(pk__in=network_ids(user, perm))


def organisations_managed_by(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """Administrators manage every organisation of their network."""
    return Organisation.objects.filter(network_id__in=network_ids(user, Perm.MANAGE_NETWORK))


def organisation_ids(user: User | AnonymousUser, perm: Perm) -> set[int]:
    return {m.organisation_id for m in memberships_with(user, perm)}


# Roles that reach a partner's personal data or give power over it: its participants and
# cases, its audit log and breach register, or granting further roles (docs/decisions/0019).
SENSITIVE_PERMS = frozenset(
    {
        Perm.VIEW_PERSONAL_DATA,
        Perm.EDIT_PARTICIPANTS,
        Perm.VIEW_AUDIT,
        Perm.MANAGE_BREACHES,
        Perm.MANAGE_NETWORK,
        Perm.RECORD_CASE_WORK,
        Perm.WORK_ON_ASSIGNED_CASES,
        Perm.MANAGE_PLACEMENT,
        Perm.REVIEW_DUPLICATES,
    }
)
SENSITIVE_ROLES = frozenset(role for role, perms in ROLE_PERMISSIONS.items() if perms & SENSITIVE_PERMS)


def administered_organisation_ids(user: User | AnonymousUser) -> set[int]:
    """The organisations whose own administrator `user` is. Partners are separate legal
    entities: only these decide who works with their personal data."""
    return organisation_ids(user, Perm.MANAGE_NETWORK)


def may_grant_role(actor: User | AnonymousUser, *, organisation: Organisation, role: str) -> bool:
    """A sensitive role is granted only by an administrator of that very organisation; a
    role without personal data (network coordinator) by any administrator of the network.
    Granting to oneself is refused by the service on top of this."""
    if role in SENSITIVE_ROLES:
        return organisation.pk in administered_organisation_ids(actor)
    return organisation.network_id in network_ids(actor, Perm.MANAGE_NETWORK)


def may_manage_account(actor: User | AnonymousUser, staff: User) -> bool:
    """Changes that could hand an account to someone else (e-mail, user name, password
    link, second factor, activation) and ending its roles: only by an administrator of
    every organisation where the person holds a sensitive role."""
    held = Membership.objects.filter(user=staff, ended_on__isnull=True, role__in=sorted(SENSITIVE_ROLES))
    return set(held.values_list("organisation_id", flat=True)) <= administered_organisation_ids(actor)


def personal_data_filter(
    user: User | AnonymousUser, *, team_field: str | None = None, perm: Perm = Perm.VIEW_PERSONAL_DATA
) -> Q:
    """The Q that limits records of personal data to what `user` may see.

    Built from memberships: own organisation, narrowed to the own team for team-bound
    roles when the record has a team. A user without such a membership gets an empty Q
    that matches nothing.
    """
    condition = Q(pk__in=[])
    for m in memberships_with(user, perm):
        if team_field and m.team_id and m.role in TEAM_NARROWED_ROLES:
            condition |= Q(organisation_id=m.organisation_id, **{f"{team_field}_id": m.team_id})
        else:
            condition |= Q(organisation_id=m.organisation_id)
    return condition


def personal_data_visible_to(
    user: User | AnonymousUser,
    queryset: QuerySet[M],
    *,
    team_field: str | None = None,
    perm: Perm = Perm.VIEW_PERSONAL_DATA,
) -> QuerySet[M]:
    """Filters a queryset of an OrganisationScopedModel to the user's scope (for `perm`)."""
    return queryset.filter(personal_data_filter(user, team_field=team_field, perm=perm))


def participant_filter(user: User | AnonymousUser, perm: Perm = Perm.VIEW_PERSONAL_DATA) -> Q:
    """Which participants `user` may see: their own organisation's (narrowed by team), and,
    for reading only, those who consented to sharing with the user's organisation.

    Sharing is read from unrevoked consents on every request, so a revocation takes
    effect at once.
    """
    from bruecke.participants.models import Consent, ConsentPurpose

    condition = personal_data_filter(user, team_field="team", perm=perm)
    # A registration merged into another is gone from every view (decision 0061).
    condition &= Q(merged_into__isnull=True)
    if perm == Perm.VIEW_PERSONAL_DATA:
        receiving = organisation_ids(user, Perm.VIEW_PERSONAL_DATA)
        if receiving:
            # Read the (small) shared set first: OR-ing an EXISTS subquery would keep the
            # database from using the organisation/team index (see docs/benchmarks.md).
            shared = Consent.objects.filter(
                purpose=ConsentPurpose.SHARING, revoked_on__isnull=True, shared_with__in=receiving
            ).values_list("participant_id", flat=True)
            shared_ids = set(shared)
            if shared_ids:
                condition |= Q(pk__in=sorted(shared_ids), merged_into__isnull=True)
    return condition


# Roles whose caseload appears in a team lead's caseload view.
CASELOAD_ROLES = frozenset({Role.CASE_MANAGER, Role.PLACEMENT_OFFICER, Role.TEAM_LEAD})


def caseload_staff_filter(user: User | AnonymousUser) -> Q:
    """Whose caseload figures `user` may see (a Q on users).

    Team leads see every case manager, placement officer and team lead of their team, or
    of their organisation when they have no team. Everyone else who works with personal
    data sees only their own line; the rest see nobody.
    """
    condition = Q(pk__in=[])
    for m in memberships_with(user, Perm.VIEW_TEAM_CASELOADS):
        staff = Membership.objects.filter(
            organisation_id=m.organisation_id, ended_on__isnull=True, role__in=CASELOAD_ROLES
        )
        if m.team_id:
            staff = staff.filter(team_id=m.team_id)
        condition |= Q(pk__in=staff.values("user_id"))
    if has_perm(user, Perm.VIEW_PERSONAL_DATA):
        condition |= Q(pk=user.pk)
    return condition


def case_filter(user: User | AnonymousUser, perm: Perm = Perm.VIEW_PERSONAL_DATA) -> Q:
    """The case rule (a Q on Case): the cases `user` may see, or act on with `perm`.

    For RECORD_CASE_WORK (contacts, tasks, profile, documents) a placement officer's own
    cases join the team's editors: the cases where they are the placement officer, still
    within their organisation and team (docs/decisions/0037).
    """
    condition = personal_data_filter(user, team_field="team", perm=perm)
    if perm == Perm.RECORD_CASE_WORK:
        assigned = personal_data_filter(user, team_field="team", perm=Perm.WORK_ON_ASSIGNED_CASES)
        condition |= assigned & Q(placement_officer_id=user.pk)
    return condition


def _case_scope(user: User | AnonymousUser, perm: Perm) -> QuerySet[Any, Any]:
    """The ids of the cases `user` may see (or act on with `perm`): the case rule."""
    from bruecke.cases.models import Case

    return Case.objects.filter(case_filter(user, perm)).values("pk")


def employer_filter(user: User | AnonymousUser, *, write: bool = False) -> Q:
    """Which employers `user` sees (a Q on Employer): those of the own organisations, and
    those another partner of the same network chose to share. Only the own ones are
    changed (`write`). Employers are not team-bound."""
    if write:
        return Q(organisation_id__in=sorted(organisation_ids(user, Perm.MANAGE_PLACEMENT)))
    condition = Q(organisation_id__in=sorted(organisation_ids(user, Perm.VIEW_PLACEMENT)))
    networks = network_ids(user, Perm.VIEW_PLACEMENT)
    if networks:
        condition |= Q(shared_with_network=True, organisation__network_id__in=sorted(networks))
    return condition


def employer_contacts_visible(user: User | AnonymousUser, organisation_id: int) -> bool:
    """Contact persons are personal data: only the employer's own organisation sees them."""
    return organisation_id in organisation_ids(user, Perm.VIEW_PLACEMENT)


def opportunity_filter(user: User | AnonymousUser, *, write: bool = False) -> Q:
    """Which opportunities `user` sees (a Q on Opportunity): the same rule as employers,
    read from the copies on the opportunity so the matching query needs no join."""
    if write:
        return Q(organisation_id__in=sorted(organisation_ids(user, Perm.MANAGE_PLACEMENT)))
    condition = Q(organisation_id__in=sorted(organisation_ids(user, Perm.VIEW_PLACEMENT)))
    networks = network_ids(user, Perm.VIEW_PLACEMENT)
    if networks:
        condition |= Q(shared_with_network=True, network_id__in=sorted(networks))
    return condition


def placement_work_filter(user: User | AnonymousUser, *, write: bool = False) -> Q:
    """Which pipeline entries and placements `user` sees or records (a Q on Application
    or Placement, both carrying organisation and team): the team's, like cases."""
    perm = Perm.MANAGE_PLACEMENT if write else Perm.VIEW_PERSONAL_DATA
    return personal_data_filter(user, team_field="team", perm=perm)


def offers_filter(user: User | AnonymousUser, *, write: bool = False) -> Q:
    """Which records of the network's offers `user` sees (a Q on a model with
    `organisation`: providers, measures, group offers, trainings, events, cooperation
    partners): every partner's of the own networks; only the own organisation's are
    changed (`write`). They hold no personal data (decision 0043)."""
    if write:
        return Q(organisation_id__in=sorted(organisation_ids(user, Perm.MANAGE_OFFERS)))
    return Q(organisation__network_id__in=sorted(network_ids(user, Perm.VIEW_OFFERS)))


def offers_people_visible(user: User | AnonymousUser, organisation_id: int) -> bool:
    """Contact persons and meeting notes of cooperation partners, and materials of
    trainings, are seen only by the owning organisation's staff who record offers."""
    return organisation_id in organisation_ids(user, Perm.MANAGE_OFFERS)


def group_roster_filter(user: User | AnonymousUser, *, write: bool = False) -> Q:
    """Whose group offers' enrolments and attendance `user` sees or records (a Q on
    GroupOffer, which carries organisation and team): the team's, like cases; a group
    offer without a team is the whole organisation's."""
    perm = Perm.MANAGE_OFFERS if write else Perm.VIEW_PERSONAL_DATA
    condition = Q(pk__in=[])
    for m in memberships_with(user, perm):
        if m.team_id and m.role in TEAM_NARROWED_ROLES:
            condition |= Q(organisation_id=m.organisation_id) & (Q(team__isnull=True) | Q(team_id=m.team_id))
        else:
            condition |= Q(organisation_id=m.organisation_id)
    return condition


def case_record_filter(user: User | AnonymousUser, *, write: bool = False) -> Q:
    """Records that hang on a case (referrals, pathways): seen with the case, recorded
    by those who record case work on it (the case rule, incl. a placement officer's
    assigned cases)."""
    return Q(case_id__in=_case_scope(user, Perm.RECORD_CASE_WORK if write else Perm.VIEW_PERSONAL_DATA))


def incoming_referral_filter(user: User | AnonymousUser) -> Q:
    """Referrals sent to the user's organisation as a network partner (a Q on Referral):
    seen and answered by its staff who record case work; the participant's name and the
    summary only as far as the referral's handover allows (decision 0043)."""
    return Q(to_organisation_id__in=sorted(organisation_ids(user, Perm.RECORD_CASE_WORK)))


def task_filter(user: User | AnonymousUser, *, acting: bool = False) -> Q:
    """Which tasks `user` may see, or (`acting`) mark done and reopen.

    Seeing: tasks assigned to the user, free tasks (no case) the user wrote, and every task
    of a case the user may see (the case rule, so team narrowing follows the case's team).
    Acting: the assignee, and those who record case work on the task's case (RECORD_CASE_WORK,
    so a placement officer on the cases assigned to them). Both only within an
    organisation where the user still has personal-data access (docs/decisions/0010).
    """
    organisations = organisation_ids(user, Perm.VIEW_PERSONAL_DATA)
    if not organisations:
        return Q(pk__in=[])
    own = Q(assignee_id=user.pk)
    if not acting:
        own |= Q(case__isnull=True, created_by_id=user.pk)
    case_perm = Perm.RECORD_CASE_WORK if acting else Perm.VIEW_PERSONAL_DATA
    return (Q(organisation_id__in=sorted(organisations)) & own) | Q(case_id__in=_case_scope(user, case_perm))


def personal_data_staff(
    organisation_ids: Iterable[int], *, team_id: int | None = None, any_team: bool = False
) -> QuerySet[User]:
    """Active staff of the organisations who may see their personal data: who can be given
    a task. Unless `any_team`, only those who may see a record of `team_id` (None: no team),
    by the same team narrowing as `personal_data_filter`."""
    from bruecke.accounts.models import User

    roles = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.VIEW_PERSONAL_DATA in perms]
    members = Membership.objects.filter(
        organisation_id__in=sorted(organisation_ids),
        organisation__is_active=True,
        role__in=roles,
        ended_on__isnull=True,
        user__is_active=True,
    )
    if not any_team:
        sees_team = Q(team__isnull=True) | ~Q(role__in=list(TEAM_NARROWED_ROLES))
        if team_id is not None:
            sees_team |= Q(team_id=team_id)
        members = members.filter(sees_team)
    return User.objects.filter(pk__in=members.values("user_id")).order_by("last_name", "first_name")


def incoming_transfers_filter(user: User | AnonymousUser) -> Q:
    """Which case transfers `user` may decide on (a Q on CaseTransfer).

    Staff who may edit participants at the receiving organisation; team-bound roles only
    when the transfer names their team or no team. Before acceptance they see only the
    transfer itself (name, birth year, reason, sender), never the case.
    """
    condition = Q(pk__in=[])
    for m in memberships_with(user, Perm.EDIT_PARTICIPANTS):
        if m.team_id and m.role in TEAM_NARROWED_ROLES:
            team = Q(to_team__isnull=True) | Q(to_team_id=m.team_id)
            condition |= Q(to_organisation_id=m.organisation_id) & team
        else:
            condition |= Q(to_organisation_id=m.organisation_id)
    return condition


def job_filter(user: User | AnonymousUser) -> Q:
    """Which background jobs (and their result files) `user` may see: only those the user
    started, and of those started for an organisation only while the user still has an
    active membership there (a result may hold that organisation's personal data)."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    organisations = sorted({m.organisation_id for m in memberships(user)})
    return Q(created_by_id=user.pk) & (Q(organisation__isnull=True) | Q(organisation_id__in=organisations))


def import_organisations(user: User | AnonymousUser, permission: Perm) -> list[Organisation]:
    """The organisations `user` may import an entity type into: those where a membership
    holds the entity's permission (the same one its form page needs)."""
    found = {m.organisation_id: m.organisation for m in memberships_with(user, permission)}
    return sorted(found.values(), key=lambda o: o.name)


def import_run_filter(user: User | AnonymousUser) -> Q:
    """Which spreadsheet imports `user` may see: only their own, and only while a member
    of the run's organisation with the permission its entity type needs."""
    from bruecke.spreadsheets.registry import all_entities  # the registry builds on access

    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    condition = Q(pk__in=[])
    for entity in all_entities():
        organisations = sorted(organisation_ids(user, entity.permission))
        if organisations:
            condition |= Q(entity=entity.key, organisation_id__in=organisations)
    return Q(created_by_id=user.pk) & condition


def duplicate_review_organisations(user: User | AnonymousUser) -> list[Organisation]:
    """Organisations whose probable duplicates `user` reviews, merges and marks distinct
    (team leads and data-protection officers): organisation-wide, as duplicates cross teams.
    Sorted by name; empty for everybody else."""
    found = {m.organisation_id: m.organisation for m in memberships_with(user, Perm.REVIEW_DUPLICATES)}
    return sorted(found.values(), key=lambda o: o.name)


def duplicate_review_organisation_ids(user: User | AnonymousUser) -> set[int]:
    """The ids of `duplicate_review_organisations` (the one rule, for querysets)."""
    return {organisation.pk for organisation in duplicate_review_organisations(user)}


def audit_organisation_ids(user: User | AnonymousUser) -> set[int]:
    """Organisations whose audit log the user may read (data-protection officers)."""
    return organisation_ids(user, Perm.VIEW_AUDIT)


def get_or_404(queryset: QuerySet[M], **lookup: object) -> M:
    """Fetches one record from an already scoped queryset; absent or foreign is 404."""
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def authority_note_organisations(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """Whose notes on the offices (rules app) `user` may edit: the organisations they are
    an administrator of. The notes are the organisation's own knowledge, not the network's."""
    return Organisation.objects.filter(pk__in=administered_organisation_ids(user))
