"""The parts of a match score, their points and their sentences.

Every function here takes plain values (the participant's `MatchProfile` facts and the
opportunity's fields) and returns a `Part`: points and a sentence in the user's language.
The SQL in `matching.sql` computes the same points; tests check both agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from bruecke.cases.models import ChildcareLimits
from bruecke.placement.kldb import requirement_level
from bruecke.placement.models import GERMAN_RANK, WorkingTime

# Occupation: the opportunity's code against experience and wishes (both count, summed).
EXPERIENCE_POINTS = {5: 30, 4: 20, 3: 10}
WISH_POINTS = {5: 15, 4: 10, 3: 5}
LEVEL_MEETS, LEVEL_ONE_BELOW = 15, 7
GERMAN_MEETS, GERMAN_ONE_BELOW = 20, 8
DISTANCE_NEAR, DISTANCE_REACHABLE, DISTANCE_UNKNOWN = 20, 10, 10
HOURS_FIT, SHIFTS_FIT = 10, 5
# Kilometres per degree (equirectangular approximation; straight line, "Luftlinie").
KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON = 111.320
# Radius without a stated travel time, and km per minute of travel (straight line).
RADIUS_CAR_KM, RADIUS_OTHER_KM = 40, 20
KM_PER_MINUTE_CAR, KM_PER_MINUTE_OTHER = Decimal("0.6"), Decimal("0.3")
FULL_TIME_HOURS = 40
CEFR = {rank: level for level, rank in GERMAN_RANK.items() if level not in ("", "none")}


@dataclass
class Part:
    key: str
    label: str
    points: int
    max_points: int
    text: str
    hint: str = ""  # what would change the result ("mit B1 statt A2: +12 Punkte")


@dataclass
class Facts:
    """What matching reads about a participant (a MatchProfile, or values for tests)."""

    experience: tuple[str, ...] = ()
    wishes: tuple[str, ...] = ()
    qualification_level: int = 1
    german_rank: int = 0
    latitude: float | None = None
    longitude: float | None = None
    driving_licence: bool = False
    own_car: bool = False
    public_transport: bool = False
    max_travel_minutes: int | None = None
    max_hours_per_week: int | None = None
    shifts_possible: bool = True
    childcare_limits: str = ""

    @classmethod
    def of(cls, profile: object) -> Facts:
        p = profile
        return cls(
            experience=tuple(c for c in (p.experience_1, p.experience_2, p.experience_3) if c),  # type: ignore[attr-defined]
            wishes=tuple(c for c in (p.wish_1, p.wish_2, p.wish_3) if c),  # type: ignore[attr-defined]
            qualification_level=p.qualification_level,  # type: ignore[attr-defined]
            german_rank=p.german_rank,  # type: ignore[attr-defined]
            latitude=p.latitude,  # type: ignore[attr-defined]
            longitude=p.longitude,  # type: ignore[attr-defined]
            driving_licence=p.driving_licence,  # type: ignore[attr-defined]
            own_car=p.own_car,  # type: ignore[attr-defined]
            public_transport=p.public_transport,  # type: ignore[attr-defined]
            max_travel_minutes=p.max_travel_minutes,  # type: ignore[attr-defined]
            max_hours_per_week=p.max_hours_per_week,  # type: ignore[attr-defined]
            shifts_possible=p.shifts_possible,  # type: ignore[attr-defined]
            childcare_limits=p.childcare_limits,  # type: ignore[attr-defined]
        )


@dataclass
class Offer:
    """What matching reads about an opportunity."""

    code: str = ""
    german_rank: int = 0
    latitude: float | None = None
    longitude: float | None = None
    driving_licence: bool = False
    working_time: str = WorkingTime.FULL_TIME
    hours_per_week: Decimal | None = None
    shifts: bool = False

    @classmethod
    def of(cls, opportunity: object) -> Offer:
        o = opportunity
        return cls(
            code=o.occupation_id or "",  # type: ignore[attr-defined]
            german_rank=o.german_rank,  # type: ignore[attr-defined]
            latitude=o.latitude,  # type: ignore[attr-defined]
            longitude=o.longitude,  # type: ignore[attr-defined]
            driving_licence=o.driving_licence,  # type: ignore[attr-defined]
            working_time=o.working_time,  # type: ignore[attr-defined]
            hours_per_week=o.hours_per_week,  # type: ignore[attr-defined]
            shifts=o.shifts,  # type: ignore[attr-defined]
        )


@dataclass
class Explanation:
    parts: list[Part] = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(p.points for p in self.parts)


def _best(code: str, codes: tuple[str, ...], table: dict[int, int]) -> tuple[int, int, str]:
    """(points, shared digits, the participant's code) of the best of `codes`."""
    best = (0, 0, "")
    for own in codes:
        for digits in (5, 4, 3):
            if code and own and own[:digits] == code[:digits]:
                if table[digits] > best[0]:
                    best = (table[digits], digits, own)
                break
    return best


def _similar_text(digits: int, own: str, source: str) -> str:
    names = {
        5: _("Same occupation (Berufsgattung %(code)s) as %(source)s"),
        4: _("Same occupation at another level (Berufsuntergruppe %(code)s) as %(source)s"),
        3: _("Related occupation (Berufsgruppe %(code)s) as %(source)s"),
    }
    return names[digits] % {"code": own[:digits], "source": source}


def occupation_parts(facts: Facts, offer: Offer) -> list[Part]:
    exp_points, exp_digits, exp_code = _best(offer.code, facts.experience, EXPERIENCE_POINTS)
    wish_points, wish_digits, wish_code = _best(offer.code, facts.wishes, WISH_POINTS)
    if exp_points:
        exp_text = _similar_text(exp_digits, exp_code, _("work experience"))
    elif facts.experience:
        exp_text = _("No work experience in this occupational group.")
    else:
        exp_text = _("No work experience with an occupation code recorded.")
    if wish_points:
        wish_text = _similar_text(wish_digits, wish_code, _("a wished occupation"))
    elif facts.wishes:
        wish_text = _("Not among the wished occupations.")
    else:
        wish_text = _("No wished occupation recorded.")
    return [
        Part("experience", _("Work experience"), exp_points, EXPERIENCE_POINTS[5], exp_text),
        Part("wish", _("Wished occupation"), wish_points, WISH_POINTS[5], wish_text),
        level_part(facts.qualification_level, offer.code),
    ]


LEVEL_NAMES = {1: "Helfer", 2: "Fachkraft", 3: "Spezialist", 4: "Experte"}


def level_points(qualification: int, required: int) -> int:
    if qualification >= required:
        return LEVEL_MEETS
    if qualification == required - 1:
        return LEVEL_ONE_BELOW
    return 0


def level_part(qualification: int, code: str) -> Part:
    required = requirement_level(code) or 1
    points = level_points(qualification, required)
    values = {"own": LEVEL_NAMES.get(qualification, qualification), "required": LEVEL_NAMES[required]}
    if points == LEVEL_MEETS:
        text = _("Qualification level %(own)s meets the requirement level %(required)s.") % values
    elif points:
        text = _("Qualification level %(own)s is one below the requirement level %(required)s.") % values
    else:
        text = _("Qualification level %(own)s is well below the requirement level %(required)s.") % values
    return Part("level", _("Requirement level"), points, LEVEL_MEETS, text)


def german_points(own: int, required: int) -> int:
    if own >= required:
        return GERMAN_MEETS
    if own == required - 1:
        return GERMAN_ONE_BELOW
    return 0


def german_part(own: int, required: int) -> Part:
    points = german_points(own, required)
    own_name = CEFR.get(own, _("not recorded"))
    if required == 0:
        return Part("german", _("German"), points, GERMAN_MEETS, _("No German level required."))
    values = {"own": own_name, "required": CEFR[required]}
    if points == GERMAN_MEETS:
        text = _("German %(own)s meets the requirement %(required)s.") % values
    elif points:
        text = _("German %(own)s is one level below the requirement %(required)s.") % values
    else:
        text = _("German %(own)s is well below the requirement %(required)s.") % values
    hint = ""
    if points < GERMAN_MEETS:
        hint = _("with %(required)s instead of %(own)s: +%(n)s points") % {
            **values,
            "n": GERMAN_MEETS - points,
        }
    return Part("german", _("German"), points, GERMAN_MEETS, text, hint)


def by_car(facts: Facts) -> bool:
    return facts.own_car or facts.driving_licence


def radius_km(facts: Facts) -> Decimal:
    """How far (straight line) the participant can travel."""
    car = by_car(facts)
    if facts.max_travel_minutes:
        return facts.max_travel_minutes * (KM_PER_MINUTE_CAR if car else KM_PER_MINUTE_OTHER)
    return Decimal(RADIUS_CAR_KM if car else RADIUS_OTHER_KM)


def lon_factor(latitude: float) -> float:
    """Kilometres per degree of longitude at `latitude` (computed once per query)."""
    return KM_PER_DEGREE_LON * math.cos(math.radians(latitude))


def distance_squared(lat1: float, lon1: float, lat2: float, lon2: float, factor: float) -> float:
    dx = (lon2 - lon1) * factor
    dy = (lat2 - lat1) * KM_PER_DEGREE_LAT
    return dx * dx + dy * dy


def distance_part(facts: Facts, offer: Offer, factor: float | None = None) -> Part:
    label = _("Distance and commute")
    if facts.latitude is None or facts.longitude is None:
        return Part(
            "distance", label, DISTANCE_UNKNOWN, DISTANCE_NEAR, _("No place of residence known: neutral.")
        )
    if offer.latitude is None or offer.longitude is None:
        return Part("distance", label, DISTANCE_UNKNOWN, DISTANCE_NEAR, _("No place of work known: neutral."))
    if offer.driving_licence and not facts.driving_licence:
        return Part("distance", label, 0, DISTANCE_NEAR, _("A driving licence is required; none recorded."))
    factor = lon_factor(facts.latitude) if factor is None else factor
    d2 = distance_squared(facts.latitude, facts.longitude, offer.latitude, offer.longitude, factor)
    radius = float(radius_km(facts))
    km = round(math.sqrt(d2))
    mode = _("with a car or driving licence") if by_car(facts) else _("without a car")
    values = {"km": km, "mode": mode, "radius": round(radius)}
    if d2 * 4 <= radius * radius:
        return Part(
            "distance",
            label,
            DISTANCE_NEAR,
            DISTANCE_NEAR,
            _("%(km)s km straight line (Luftlinie); close %(mode)s.") % values,
        )
    if d2 <= radius * radius:
        return Part(
            "distance",
            label,
            DISTANCE_REACHABLE,
            DISTANCE_NEAR,
            _("%(km)s km straight line (Luftlinie); reachable %(mode)s (up to %(radius)s km).") % values,
        )
    return Part(
        "distance",
        label,
        0,
        DISTANCE_NEAR,
        _("%(km)s km straight line (Luftlinie); beyond %(radius)s km %(mode)s.") % values,
    )


def effective_hours(offer: Offer) -> Decimal | None:
    if offer.hours_per_week is not None:
        return Decimal(offer.hours_per_week)
    return Decimal(FULL_TIME_HOURS) if offer.working_time == WorkingTime.FULL_TIME else None


def hours_points(facts: Facts, offer: Offer) -> int:
    if facts.childcare_limits == ChildcareLimits.PART_TIME and offer.working_time == WorkingTime.FULL_TIME:
        return 0
    hours = effective_hours(offer)
    if facts.max_hours_per_week is not None and hours is not None and hours > facts.max_hours_per_week:
        return 0
    return HOURS_FIT


def shifts_points(facts: Facts, offer: Offer) -> int:
    if offer.shifts and (not facts.shifts_possible or facts.childcare_limits == ChildcareLimits.SCHOOL_HOURS):
        return 0
    return SHIFTS_FIT


def hours_parts(facts: Facts, offer: Offer) -> list[Part]:
    points = hours_points(facts, offer)
    hours = effective_hours(offer)
    if points:
        text = _("The working hours fit.")
    elif facts.childcare_limits == ChildcareLimits.PART_TIME:
        text = _("Full time; childcare allows part time only.")
    else:
        text = _("%(hours)s hours a week; at most %(max)s possible.") % {
            "hours": f"{hours:g}",
            "max": facts.max_hours_per_week,
        }
    shift = shifts_points(facts, offer)
    if not offer.shifts:
        shift_text = _("No shift work.")
    elif shift:
        shift_text = _("Shift work; possible.")
    elif facts.childcare_limits == ChildcareLimits.SCHOOL_HOURS:
        shift_text = _("Shift work; childcare allows school or nursery hours only.")
    else:
        shift_text = _("Shift work; not possible for the participant.")
    return [
        Part("hours", _("Working hours"), points, HOURS_FIT, text),
        Part("shifts", _("Shifts"), shift, SHIFTS_FIT, shift_text),
    ]


def explain(facts: Facts, offer: Offer, factor: float | None = None) -> Explanation:
    """Every part except the work permission (added by `permission`)."""
    return Explanation(
        [
            *occupation_parts(facts, offer),
            german_part(facts.german_rank, offer.german_rank),
            distance_part(facts, offer, factor),
            *hours_parts(facts, offer),
        ]
    )
