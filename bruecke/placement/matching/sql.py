"""The parts of `scoring` as SQL expressions, so the database ranks every candidate.

Two directions: for one participant the participant's facts are constants and the
opportunity's fields are columns (`offer_score`); for one opportunity it is the other way
round (`profile_score`). Each function returns an integer expression with the same points
as its counterpart in `scoring` (tests compare them on random data).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Case, F, FloatField, IntegerField, Q, Value, When
from django.db.models.expressions import Combinable, ExpressionWrapper
from django.db.models.functions import Cast, Coalesce, Substr

from bruecke.cases.models import ChildcareLimits
from bruecke.placement.kldb import requirement_level
from bruecke.placement.matching import scoring as s
from bruecke.placement.models import WorkingTime


def _int(value: int) -> Value:
    return Value(value, output_field=IntegerField())


def _case(*whens: When, default: int = 0) -> Case:
    return Case(*whens, default=_int(default), output_field=IntegerField())


# ---- one participant (constants), opportunities (columns) ----


def _code_points(codes: tuple[str, ...], table: dict[int, int]) -> Case:
    whens = []
    for digits in (5, 4, 3):
        prefixes = sorted({c[:digits] for c in codes if c})
        if prefixes:
            lookup = "occupation_id__in" if digits == 5 else f"_p{digits}__in"
            whens.append(When(Q(**{lookup: prefixes}), then=_int(table[digits])))
    return _case(*whens)


def prefix_annotations() -> dict[str, Combinable]:
    return {"_p4": Substr("occupation_id", 1, 4), "_p3": Substr("occupation_id", 1, 3)}


def offer_score(facts: s.Facts) -> dict[str, Combinable]:
    """Annotations (one per part) for a queryset of opportunities; needs `prefix_annotations`."""
    q = facts.qualification_level
    level = Substr("occupation_id", 5, 1)
    level_case = _case(
        When(Q(_level__in=[str(n) for n in range(0, q + 1)]), then=_int(s.LEVEL_MEETS)),
        When(Q(_level=str(q + 1)), then=_int(s.LEVEL_ONE_BELOW)),
    )
    g = facts.german_rank
    german = _case(
        When(Q(german_rank__lte=g), then=_int(s.GERMAN_MEETS)),
        When(Q(german_rank=g + 1), then=_int(s.GERMAN_ONE_BELOW)),
    )
    if facts.latitude is None or facts.longitude is None:
        distance: Combinable = _int(s.DISTANCE_UNKNOWN)
    else:
        factor = s.lon_factor(facts.latitude)
        dx = (F("longitude") - Value(facts.longitude)) * Value(factor)
        dy = (F("latitude") - Value(facts.latitude)) * Value(s.KM_PER_DEGREE_LAT)
        d2 = ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField())
        radius = float(s.radius_km(facts))
        whens = [When(Q(latitude__isnull=True) | Q(longitude__isnull=True), then=_int(s.DISTANCE_UNKNOWN))]
        if not facts.driving_licence:
            whens.append(When(Q(driving_licence=True), then=_int(0)))
        whens += [
            When(Q(_d2__lte=radius * radius / 4), then=_int(s.DISTANCE_NEAR)),
            When(Q(_d2__lte=radius * radius), then=_int(s.DISTANCE_REACHABLE)),
        ]
        distance = _case(*whens)
    hour_whens = []
    if facts.childcare_limits == ChildcareLimits.PART_TIME:
        hour_whens.append(When(Q(working_time=WorkingTime.FULL_TIME), then=_int(0)))
    if facts.max_hours_per_week is not None:
        hour_whens.append(When(Q(_hours__gt=facts.max_hours_per_week), then=_int(0)))
    hours = _case(*hour_whens, default=s.HOURS_FIT)
    no_shifts = not facts.shifts_possible or facts.childcare_limits == ChildcareLimits.SCHOOL_HOURS
    shifts = (
        _case(When(Q(shifts=True), then=_int(0)), default=s.SHIFTS_FIT) if no_shifts else _int(s.SHIFTS_FIT)
    )
    helpers: dict[str, Combinable] = {
        "_level": level,
        "_hours": Coalesce(
            "hours_per_week",
            Case(
                When(Q(working_time=WorkingTime.FULL_TIME), then=Value(Decimal(s.FULL_TIME_HOURS))),
                default=Value(None),
            ),
        ),
    }
    if facts.latitude is not None and facts.longitude is not None:
        helpers["_d2"] = d2
    return {
        **helpers,
        "pts_experience": _code_points(facts.experience, s.EXPERIENCE_POINTS),
        "pts_wish": _code_points(facts.wishes, s.WISH_POINTS),
        "pts_level": level_case,
        "pts_german": german,
        "pts_distance": distance,
        "pts_hours": hours,
        "pts_shifts": shifts,
    }


PART_FIELDS = [
    "pts_experience",
    "pts_wish",
    "pts_level",
    "pts_german",
    "pts_distance",
    "pts_hours",
    "pts_shifts",
]


def total(*fields: str) -> Combinable:
    expression: Combinable = F(fields[0])
    for name in fields[1:]:
        expression = expression + F(name)
    return expression


# ---- one opportunity (constants), participants' match profiles (columns) ----


def _profile_code_points(code: str, columns: tuple[str, ...], table: dict[int, int]) -> Case:
    if not code:
        return _case()
    whens = []
    for digits in (5, 4, 3):
        condition = Q(pk__in=[])
        for column in columns:
            if digits == 5:
                condition |= Q(**{column: code})
            else:
                condition |= Q(**{f"{column}__startswith": code[:digits]})
        whens.append(When(condition, then=_int(table[digits])))
    return _case(*whens)


def profile_score(offer: s.Offer) -> dict[str, Combinable]:
    """Annotations (one per part) for a queryset of MatchProfiles."""
    required = requirement_level(offer.code) or 1
    level = _case(
        When(Q(qualification_level__gte=required), then=_int(s.LEVEL_MEETS)),
        When(Q(qualification_level=required - 1), then=_int(s.LEVEL_ONE_BELOW)),
    )
    r = offer.german_rank
    german = _case(
        When(Q(german_rank__gte=r), then=_int(s.GERMAN_MEETS)),
        When(Q(german_rank=r - 1), then=_int(s.GERMAN_ONE_BELOW)),
    )
    helpers: dict[str, Combinable] = {}
    car = Q(own_car=True) | Q(driving_licence=True)
    if offer.latitude is None or offer.longitude is None:
        distance: Combinable = _int(s.DISTANCE_UNKNOWN)
    else:
        factor = s.lon_factor(offer.latitude)
        dx = (Value(offer.longitude) - F("longitude")) * Value(factor)
        dy = (Value(offer.latitude) - F("latitude")) * Value(s.KM_PER_DEGREE_LAT)
        helpers["_d2"] = ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField())
        minutes = Cast("max_travel_minutes", FloatField())
        helpers["_r"] = Case(
            When(car & Q(max_travel_minutes__gt=0), then=minutes * Value(float(s.KM_PER_MINUTE_CAR))),
            When(Q(max_travel_minutes__gt=0), then=minutes * Value(float(s.KM_PER_MINUTE_OTHER))),
            When(car, then=Value(float(s.RADIUS_CAR_KM))),
            default=Value(float(s.RADIUS_OTHER_KM)),
            output_field=FloatField(),
        )
        whens = [When(Q(latitude__isnull=True) | Q(longitude__isnull=True), then=_int(s.DISTANCE_UNKNOWN))]
        if offer.driving_licence:
            whens.append(When(Q(driving_licence=False), then=_int(0)))
        helpers["_r2"] = ExpressionWrapper(F("_r") * F("_r"), output_field=FloatField())
        whens += [
            When(Q(_d2__lte=F("_r2") / Value(4.0)), then=_int(s.DISTANCE_NEAR)),
            When(Q(_d2__lte=F("_r2")), then=_int(s.DISTANCE_REACHABLE)),
        ]
        distance = _case(*whens)
    hours_value = s.effective_hours(offer)
    hour_whens = []
    if offer.working_time == WorkingTime.FULL_TIME:
        hour_whens.append(When(Q(childcare_limits=ChildcareLimits.PART_TIME), then=_int(0)))
    if hours_value is not None:
        hour_whens.append(When(Q(max_hours_per_week__lt=hours_value), then=_int(0)))
    hours = _case(*hour_whens, default=s.HOURS_FIT)
    if offer.shifts:
        shifts: Combinable = _case(
            When(Q(shifts_possible=False) | Q(childcare_limits=ChildcareLimits.SCHOOL_HOURS), then=_int(0)),
            default=s.SHIFTS_FIT,
        )
    else:
        shifts = _int(s.SHIFTS_FIT)
    return {
        **helpers,
        "pts_experience": _profile_code_points(
            offer.code, ("experience_1", "experience_2", "experience_3"), s.EXPERIENCE_POINTS
        ),
        "pts_wish": _profile_code_points(offer.code, ("wish_1", "wish_2", "wish_3"), s.WISH_POINTS),
        "pts_level": level,
        "pts_german": german,
        "pts_distance": distance,
        "pts_hours": hours,
        "pts_shifts": shifts,
    }
