"""Counselling contacts in the period: per partner for the whole network; per staff member
only for the staff whose caseload figures the user may see anyway (a team lead's own team,
`access.caseload_staff_filter`), every other contact summed per team.

Why: staff names are not participant data, but per-person activity figures of another
partner's staff are performance data of that partner's employees; the network coordinator
and team leads of other partners get the team's sum instead (decision 0052). Two queries.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Count
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import Contact
from bruecke.core import access
from bruecke.participants.selectors import AnyUser
from bruecke.reporting.charts import ChartData, Series
from bruecke.reporting.selectors import Slice


def _contacts(part: Slice) -> object:
    return Contact.objects.filter(
        part.q("case__"),
        case__participant__project_id=part.project_id,
        date__gte=part.start,
        date__lte=part.end,
    ).order_by()


def contacts_per_partner(part: Slice) -> ChartData:
    rows = _contacts(part).values("case__organisation__name").annotate(n=Count("id"))  # type: ignore[attr-defined]
    counts = sorted((row["case__organisation__name"], row["n"]) for row in rows)
    return ChartData(
        title=_("Contacts per partner"),
        category_heading=_("Partner"),
        categories=[name for name, _n in counts],
        series=[Series(_("Contacts"), [n for _name, n in counts])],
        notes=[_("Counselling contacts with participants in the period.")],
    )


def contacts_per_staff(part: Slice, user: AnyUser) -> ChartData:
    rows = _contacts(part).values("recorded_by_id", "case__team__name").annotate(n=Count("id"))  # type: ignore[attr-defined]
    visible = {
        pk: (" ".join(filter(None, (first, last))) or username)
        for pk, first, last, username in User.objects.filter(access.caseload_staff_filter(user)).values_list(
            "pk", "first_name", "last_name", "username"
        )
    }
    per_person: Counter[str] = Counter()
    per_team: Counter[str] = Counter()
    for row in rows:
        if row["recorded_by_id"] in visible:
            per_person[visible[row["recorded_by_id"]]] += row["n"]
        else:
            team = row["case__team__name"] or _("no team")
            per_team[_("%(team)s (all staff)") % {"team": team}] += row["n"]
    categories = sorted(per_person) + sorted(per_team)
    merged = per_person + per_team
    notes = [_("Counselling contacts in the period, by the staff member who recorded them.")]
    if per_team:
        notes.append(
            _("Per person only for staff whose caseload you may see; the other contacts are summed per team.")
        )
    return ChartData(
        title=_("Contacts per staff member"),
        category_heading=_("Staff member or team"),
        categories=categories,
        series=[Series(_("Contacts"), [merged[c] for c in categories])],
        notes=notes,
    )
