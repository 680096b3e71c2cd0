"""Demo duplicates: registrations of partner A that repeat people of the fixed demo set in
another spelling, and the pairs found among them, so that `make run` shows the review."""

from __future__ import annotations

from django.db import transaction

from bruecke.dedupe.review.services import pairs_refresh
from bruecke.network.demo import DemoNetwork
from bruecke.participants import services
from bruecke.participants.models import Gender, Participant
from bruecke.projects.models import Project

# (given names, family name, birth "Y[-M[-D]]", gender, country): second registrations of
# Mohammed Al-Hassan, Olena Schewtschenko (team Rostock) and Yonas Tesfay (team Schwerin),
# made at the front desk without a team. (Without a team they also get no case from the
# demo's placement day, which opens one for every participant with a team: two open cases
# would rightly refuse the merge.)
DUPLICATES = [
    ("Mohamed", "Alhassan", "1994-03-07", Gender.MALE, "SY"),
    ("Olena", "Shevchenko", "1987-11", Gender.FEMALE, "UA"),
    # Another team's participant: duplicates cross teams, the review is organisation-wide.
    ("Yonas", "Tesfai", "2001-06-15", Gender.MALE, "ER"),
]


def _birth(text: str) -> tuple[int, int | None, int | None]:
    parts = [int(p) for p in text.split("-")]
    return parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None


@transaction.atomic
def seed_duplicates(demo: DemoNetwork) -> None:
    """Idempotent: one record per document name (a merged one is not registered again)."""
    organisation = demo.partners["A"]
    office = demo.teams["Rostock"].office
    for given, family, born, gender, country in DUPLICATES:
        if Participant.objects.filter(
            organisation=organisation, given_names=given, family_name=family
        ).exists():
            continue
        year, month, day = _birth(born)
        participant = Participant(
            organisation=organisation,
            project=Project.objects.get(network=demo.network, name="NAF MV plus"),
            team=None,
            given_names=given,
            family_name=family,
            birth_year=year,
            birth_month=month,
            birth_day=day,
            gender=gender,
            nationality=country,
            country_of_birth=country,
            town=office.town if office else "",
        )
        services.participant_create(actor=demo.users["cm_a"], participant=participant)
    pairs_refresh(organisation)
