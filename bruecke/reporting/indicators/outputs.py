"""The ESF Plus output indicators (EECO01–EECO17, §8.4 with §11 binding) as conditions on
the participations of the period; counted by `engine.py` in one aggregate query."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.db.models.functions import Lower, Trim
from django.db.models.lookups import In
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bruecke.esf.models import Answer, Degurba, LabourMarketStatus, Municipality
from bruecke.projects.models import Project

from .participations import age_q, ltu_q
from .sensitive import SensitiveRow, answer_of

UNEMPLOYED = Q(esf_entry__lm_status_entry=LabourMarketStatus.UNEMPLOYED)
INACTIVE = Q(esf_entry__lm_status_entry=LabourMarketStatus.INACTIVE)
EMPLOYED = Q(esf_entry__lm_status_entry=LabourMarketStatus.EMPLOYED)


@dataclass(frozen=True)
class Counted:
    """An indicator counted in SQL: `condition` on the participation; `refused` / `unknown`
    (optional) are the conditions of the data-quality counts shown beside it."""

    code: str
    label: Promise | str
    condition: Q
    refused: Q | None = None
    unknown: Q | None = None
    # Only the grand total of the 2014–2020 variant counts incomplete records (§8.5).
    with_incomplete: bool = False


@dataclass(frozen=True)
class Decrypted:
    """An indicator on an encrypted answer (special-category data): counted in Python in
    one streamed pass (`sensitive.py`), never in SQL. `answer` names the answer of a row
    ("yes", "no", "refused" or "" for unknown)."""

    code: str
    label: Promise | str
    answer: Callable[[SensitiveRow], str]


def _isced(low: int, high: int) -> Q:
    return Q(esf_entry__isced_level__gte=low, esf_entry__isced_level__lte=high)


def _answer(field: str) -> tuple[Q, Q, Q]:
    name = f"esf_entry__{field}"
    return Q(**{name: Answer.YES}), Q(**{name: Answer.REFUSED}), Q(**{name: ""})


def _town_in(degurba: Q) -> Q:
    """The participant's town (its search key: trimmed, lower case) names a municipality
    matching `degurba`. An uncorrelated IN: PostgreSQL hashes the few thousand keys once
    (a hashed SubPlan) instead of probing the table per participant, and the aggregate
    can still run in parallel workers (decision 0049, "speed")."""
    keys = Municipality.objects.filter(degurba).values("name_key")
    return Q(In(Lower(Trim("town")), keys))


def rural_conditions() -> tuple[Q, Q]:
    """EECO17 (§11.11: degree of urbanisation 3): the recorded answer, otherwise derived
    from the town when the municipality list names exactly one degree for it. Returns the
    condition and the "unknown" condition."""
    # `town` is never NULL and neither is `name_key`, so NOT IN has no NULL surprises.
    rural_key, other_key = _town_in(Q(degurba=Degurba.RURAL)), _town_in(~Q(degurba=Degurba.RURAL))
    derived_rural = rural_key & ~other_key
    derived_known = _town_in(Q()) & (~rural_key | ~other_key)
    unrecorded = Q(esf_entry__rural_area__isnull=True)
    return Q(esf_entry__rural_area=True) | (unrecorded & derived_rural), unrecorded & ~derived_known


def esf_plus_outputs(project: Project) -> list[Counted | Decrypted]:
    yes_foreign, refused_foreign, unknown_foreign = _answer("foreign_background")
    yes_homeless, refused_homeless, unknown_homeless = _answer("homeless_or_housing_exclusion")
    rural, rural_unknown = rural_conditions()
    return [
        Counted("EECO01", _("participants (total)"), Q()),
        Counted("EECO02", _("unemployed, including long-term unemployed"), UNEMPLOYED),
        Counted("EECO03", _("long-term unemployed"), ltu_q(project)),
        Counted("EECO04", _("inactive"), INACTIVE),
        Counted("EECO05", _("employed, including self-employed"), EMPLOYED),
        Counted("EECO06", _("below 18 years of age"), age_q(project, None, 17)),
        Counted("EECO07", _("aged 18 to 29"), age_q(project, 18, 29)),
        Counted("EECO08", _("aged 55 and above"), age_q(project, 55, None)),
        Counted("EECO09", _("with lower secondary education or less (ISCED 0–2)"), _isced(0, 2)),
        Counted("EECO10", _("with upper secondary or post-secondary education (ISCED 3–4)"), _isced(3, 4)),
        Counted("EECO11", _("with tertiary education (ISCED 5–8)"), _isced(5, 8)),
        Decrypted("EECO12", _("participants with disabilities"), answer_of("disability")),
        Counted(
            "EECO13",
            _("third-country nationals"),
            Q(esf_entry__third_country_national_at_entry=True),
            unknown=Q(esf_entry__third_country_national_at_entry__isnull=True),
        ),
        Counted(
            "EECO14",
            _("participants with a foreign background"),
            yes_foreign,
            refused_foreign,
            unknown_foreign,
        ),
        Decrypted(
            "EECO15",
            _("minorities (including marginalised communities such as the Roma)"),
            answer_of("minority"),
        ),
        Counted(
            "EECO16",
            _("homeless or affected by housing exclusion"),
            yes_homeless,
            refused_homeless,
            unknown_homeless,
        ),
        Counted("EECO17", _("participants from rural areas"), rural, unknown=rural_unknown),
    ]
