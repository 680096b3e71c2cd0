"""Reading the occupation catalogue (reference data: no scope, no personal data)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from bruecke.placement.kldb import fold, group_codes
from bruecke.placement.models import Occupation

MAX_QUERY = 100


@dataclass(frozen=True)
class Group:
    code: str
    title: str


def normalise_query(text: str) -> str:
    return " ".join(text.split())[:MAX_QUERY]


def occupation_search(query: str, *, full_only: bool = False) -> QuerySet[Occupation]:
    """Occupations whose code starts with the digits typed, or whose folded title contains
    every word typed ("koch" finds "Köchin"). A code prefix uses the primary key's index; a
    title search scans the catalogue (about 30,000 rows: a few milliseconds)."""
    query = normalise_query(query)
    occupations = Occupation.objects.all()
    if full_only:
        occupations = occupations.filter(code__regex=r"^[0-9]{5}$")
    if not query:
        return occupations.none()
    compact = query.replace(" ", "")
    if compact.isdigit():
        return occupations.filter(code__startswith=compact[:5])
    for word in fold(query).split():
        occupations = occupations.filter(search_title__contains=word)
    return occupations


def group_titles(occupations: list[Occupation]) -> dict[str, list[Group]]:
    """For each occupation its parents (4-, 3-, 2- and 1-digit groups) with their titles
    from the catalogue, in one query."""
    parents = {code: group_codes(code)[1:] for code in (o.code for o in occupations)}
    wanted = {p for codes in parents.values() for p in codes}
    titles = dict(Occupation.objects.filter(code__in=sorted(wanted)).values_list("code", "title"))
    return {
        code: [Group(code=p, title=titles[p]) for p in codes if p in titles]
        for code, codes in parents.items()
    }
