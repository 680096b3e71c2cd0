"""One person, one participation per operation, across partners (§11.1, decision 0064).

Two registrations of different partners are the same person when a user confirmed their
cross-partner match (`CrossPartnerMatch`, status confirmed, or shared after it). Linked
registrations of one project form one participation: the earliest entry stands for it
(its entry date and every entry characteristic), the others are left out of every count.

The links are few (each one a decision a user took), so they are fetched once per report
and joined in Python with a union-find; what the counts then leave out is a short id list
in SQL. A million participants without links cost one extra query.

Joining happens inside the rows a report counts: a partner's own scope does not contain
the other partner's registration, so it still shows its own. A merged registration
(`Participant.merged_into`) is never a row; a link to it stands for the registration it
was merged into.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from bruecke.dedupe.models import CrossMatchStatus, CrossPartnerMatch
from bruecke.participants.models import Participant
from bruecke.projects.models import Project

# Statuses that say "the same person": sharing with consent comes after confirming.
SAME_PERSON = (CrossMatchStatus.CONFIRMED, CrossMatchStatus.SHARED)

NOT_MERGED = Q(merged_into__isnull=True)


def not_merged(prefix: str = "") -> Q:
    """Registrations that still stand for someone (a merged one has no records left)."""
    return Q(**{f"{prefix}merged_into__isnull": True})


def among(field: str, ids: list[int]) -> Q:
    """`field` is one of `ids`. On PostgreSQL the ids travel as one array parameter: tens of
    thousands of joined registrations would pass the driver's limit of 65,535 parameters."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__in": RawSQL("SELECT unnest(%s::bigint[])", (ids,))})
    return Q(**{f"{field}__in": ids})


@dataclass(frozen=True)
class Member:
    pk: int
    entry_date: datetime.date | None
    organisation_id: int

    def order(self) -> tuple[bool, datetime.date, int]:
        """Earliest entry first; no entry date last; the older registration on a tie."""
        return (self.entry_date is None, self.entry_date or datetime.date.max, self.pk)


@dataclass(frozen=True)
class JoinedPeople:
    """The participations joined across partners: each group has two or more
    registrations of the rows, the earliest entry first."""

    groups: tuple[tuple[Member, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def count(self) -> int:
        """Participations joined (each counted once instead of len(group) times)."""
        return len(self.groups)

    @property
    def registrations(self) -> int:
        return sum(len(group) for group in self.groups)

    @cached_property
    def first_of(self) -> dict[int, int]:
        """Every member's pk → the pk of the registration that stands for its participation."""
        return {member.pk: group[0].pk for group in self.groups for member in group}

    def later_ids(self) -> list[int]:
        """The registrations left out of counts (all but the earliest entry of each group)."""
        return sorted(member.pk for group in self.groups for member in group[1:])

    def member_ids(self) -> list[int]:
        return sorted(self.first_of)

    def first_ids(self) -> list[int]:
        return sorted(group[0].pk for group in self.groups)

    def entered_between(self, start: datetime.date, end: datetime.date) -> JoinedPeople:
        """The joined participations whose first entry lies in the period (§11.12)."""
        return JoinedPeople(
            tuple(
                group for group in self.groups if group[0].entry_date and start <= group[0].entry_date <= end
            )
        )


NOBODY = JoinedPeople()


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]  # path halving: later finds are shorter
            item = self.parent[item]
        return item

    def union(self, first: int, second: int) -> None:
        a, b = self.find(first), self.find(second)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def same_person_links(network_id: int | QuerySet[Any]) -> list[tuple[int, int]]:
    """The confirmed links of the network in one query; a merged end stands for the
    registration it was merged into (the merge service never merges into a merged one)."""
    same_network = Q(network_id=network_id)  # an int or a one-value subquery
    rows = CrossPartnerMatch.objects.filter(same_network, status__in=SAME_PERSON).values_list(
        "first_id", "second_id", "first__merged_into_id", "second__merged_into_id"
    )
    return [(kept_first or first, kept_second or second) for first, second, kept_first, kept_second in rows]


def person_roots(links: list[tuple[int, int]]) -> _UnionFind:
    """The transitive closure of the links (A = B and B = C makes A = C), whatever the project."""
    people = _UnionFind()
    for first, second in links:
        people.union(first, second)
    return people


def join_people(rows: QuerySet[Participant], network_id: int | QuerySet[Any]) -> JoinedPeople:
    """The linked registrations among `rows`, grouped per person. `rows` are the
    registrations of one project (one operation) a count covers; `network_id` may be a
    one-value subquery. Two queries when the network has links, one when it has none."""
    links = same_person_links(network_id)
    if not links:
        return NOBODY
    people = person_roots(links)
    linked = sorted(people.parent)
    found = rows.filter(among("pk", linked)).values_list("pk", "entry_date", "organisation_id")
    groups: dict[int, list[Member]] = {}
    for pk, entry_date, organisation_id in found:
        groups.setdefault(people.find(pk), []).append(Member(pk, entry_date, organisation_id))
    joined = [tuple(sorted(group, key=Member.order)) for group in groups.values() if len(group) > 1]
    return JoinedPeople(tuple(sorted(joined, key=lambda group: group[0].pk)))


def counted_once(rows: QuerySet[Participant], joined: JoinedPeople) -> QuerySet[Participant]:
    """`rows` without the later registrations of joined participations."""
    later = joined.later_ids()
    return rows.exclude(among("pk", later)) if later else rows


def people_count(rows: QuerySet[Participant], joined: JoinedPeople) -> int:
    """How many people `rows` hold when a joined participation counts once, whichever of
    its registrations is in `rows` (for figures that are not tied to the first entry, such
    as "active in the period"). One query, two with links."""
    members = joined.member_ids()
    if not members:
        return rows.count()
    alone = rows.exclude(among("pk", members)).count()
    present = rows.filter(among("pk", members)).values_list("pk", flat=True)
    return alone + len({joined.first_of[pk] for pk in present})


def project_people(project_id: int) -> JoinedPeople:
    """The joined participations of a whole project (every partner, every team): what the
    funder's pseudonym of a person is derived from, whoever writes the file."""
    rows = Participant.objects.filter(NOT_MERGED, project_id=project_id)
    return join_people(rows, Project.objects.filter(pk=project_id).values("network_id")[:1])
