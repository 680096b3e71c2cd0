"""Demo duplicates: registrations of partner A that repeat people of the fixed demo set in
another spelling, and the pairs found among them, so that `make run` shows the review."""

from __future__ import annotations

from django.db import transaction

from bruecke.dedupe.review.services import pairs_refresh
from bruecke.network.demo import DemoNetwork
from bruecke.participants import services
from bruecke.participants.demo import demo_registration
from bruecke.participants.models import Gender, Participant

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


@transaction.atomic
def seed_duplicates(demo: DemoNetwork) -> None:
    """Idempotent: one record per document name (a merged one is not registered again)."""
    organisation = demo.partners["A"]
    for given, family, born, gender, country in DUPLICATES:
        if Participant.objects.filter(
            organisation=organisation, given_names=given, family_name=family
        ).exists():
            continue
        participant = demo_registration(
            demo,
            partner="A",
            team=None,
            given=given,
            family=family,
            born=born,
            gender=gender,
            country=country,
        )
        services.participant_create(actor=demo.users["cm_a"], participant=participant)
    pairs_refresh(organisation)
