"""Demo participants: a fixed set the personas work with, and a generator for large,
realistic data sets (`seed_demo --participants N`) used by the benchmarks."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from bruecke.accounts.models import User
from bruecke.dedupe.keys import blocking_key_objects
from bruecke.dedupe.models import BlockingKey
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Organisation, Team
from bruecke.participants import names, services
from bruecke.participants.info_sheet import INFO_SHEET_VERSION
from bruecke.participants.models import (
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Gender,
    NameKey,
    Participant,
    ResidenceStatus,
    WorkNote,
)
from bruecke.projects.models import Project

# (given names, family name, other spelling, birth "Y[-M[-D]]", gender, nationality, partner, team, status)
FIXED = [
    (
        "Mohammed",
        "Al-Hassan",
        "Muhammad Alhasan",
        "1994-03-07",
        Gender.MALE,
        "SY",
        "A",
        "Rostock",
        "ae_25_2_refugee",
    ),
    ("Amina", "Rahimi", "", "1999", Gender.FEMALE, "AF", "A", "Rostock", "gestattung"),
    ("Olena", "Schewtschenko", "Olena Shevchenko", "1987-11", Gender.FEMALE, "UA", "A", "Rostock", "ae_24"),
    (
        "Abdulrahman",
        "Hussein",
        "Abd al-Rahman Husain",
        "2003-01-01",
        Gender.MALE,
        "IQ",
        "A",
        "Rostock",
        "duldung_60a",
    ),
    ("Yonas", "Tesfay", "", "2001-06-15", Gender.MALE, "ER", "A", "Schwerin", "ae_25_2_subsidiary"),
    ("Muhammad", "Alhasan", "", "1994-03", Gender.MALE, "SY", "B", "Greifswald", "ae_25_2_refugee"),
    ("Fatima", "Yusuf", "Fatma Youssef", "1992", Gender.FEMALE, "SO", "B", "Greifswald", "gestattung"),
    ("Giorgi", "Beridze", "", "1990-09-30", Gender.MALE, "GE", "C", "Schwerin", "duldung_60b"),
    ("Zahra", "Ahmadi", "", "2005-02-11", Gender.FEMALE, "IR", "C", "Schwerin", "ae_25a"),
]
# Names as written in their own script, beside the Latin spelling of the German documents.
OWN_SCRIPT = {
    ("Mohammed", "Al-Hassan"): ("محمد", "الحسن"),
    ("Olena", "Schewtschenko"): ("Олена", "Шевченко"),
    ("Zahra", "Ahmadi"): ("زهرا", "احمدی"),
}


def _birth(text: str) -> tuple[int, int | None, int | None]:
    parts = [int(p) for p in text.split("-")]
    return parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None


def demo_registration(
    demo: DemoNetwork,
    *,
    partner: str,
    team: str | None,
    given: str,
    family: str,
    born: str,
    gender: str,
    country: str,
    **fields: Any,
) -> Participant:
    """An unsaved demo registration in the project "NAF MV plus": born "Y[-M[-D]]", the
    country as nationality and country of birth, the town of the team's office (of team
    Rostock's for a registration at the front desk without a team)."""
    year, month, day = _birth(born)
    office = demo.teams[team or "Rostock"].office
    return Participant(
        organisation=demo.partners[partner],
        project=Project.objects.get(network=demo.network, name="NAF MV plus"),
        team=demo.teams[team] if team else None,
        given_names=given,
        family_name=family,
        birth_year=year,
        birth_month=month,
        birth_day=day,
        gender=gender,
        nationality=country,
        country_of_birth=country,
        town=office.town if office else "",
        **fields,
    )


@transaction.atomic
def seed_fixed(demo: DemoNetwork, today: datetime.date | None = None) -> None:
    """Idempotent: one record per (organisation, document name)."""
    today = today or datetime.date.today()
    actor = demo.users["cm_a"]
    for index, (given, family, variant, born, gender, nationality, partner, team, status) in enumerate(FIXED):
        organisation = demo.partners[partner]
        if Participant.objects.filter(
            organisation=organisation, given_names=given, family_name=family
        ).exists():
            continue
        participant = demo_registration(
            demo,
            partner=partner,
            team=team,
            given=given,
            family=family,
            born=born,
            gender=gender,
            country=nationality,
            given_names_own_script=OWN_SCRIPT.get((given, family), ("", ""))[0],
            family_name_own_script=OWN_SCRIPT.get((given, family), ("", ""))[1],
            birth_date_is_placeholder=born.endswith("-01-01"),
            entry_date=today - datetime.timedelta(days=30 + 20 * index),
        )
        # Two documents expire soon so the dashboard reminders have something to show.
        valid_days = (10, 35, 200, 90, 400, 60, 120, 25, 700)[index]
        residence = ResidenceStatus(
            status=status,
            # Issued before the entry date, so eligibility at entry rests on a document.
            issued_on=today - datetime.timedelta(days=365),
            valid_until=today + datetime.timedelta(days=valid_days),
            work_note=WorkNote.WITH_PERMISSION if status.startswith(("gest", "duld")) else WorkNote.PERMITTED,
        )
        services.participant_create(
            actor=actor, participant=participant, variants=[variant] if variant else [], residence=residence
        )
        if status == "ae_24":
            _seed_fiktion(actor, participant, residence.issued_on)
        _seed_consents(demo, participant, today)
    from bruecke.cases.demo import seed_cases  # cases build on participants

    seed_cases(demo)


def _seed_fiktion(actor: User, participant: Participant, title_issued_on: datetime.date) -> None:
    """Before the § 24 title: the Fiktionsbescheinigung issued with the application."""
    services.residence_status_add(
        actor=actor,
        status=ResidenceStatus(
            participant=participant,
            status="fiktion_24",
            issued_on=title_issued_on - datetime.timedelta(days=90),
            valid_until=title_issued_on - datetime.timedelta(days=1),
            work_note=WorkNote.PERMITTED,
        ),
    )


# A minimal valid PDF, standing in for a scanned, signed information sheet.
DEMO_SCAN = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _seed_consents(demo: DemoNetwork, participant: Participant, today: datetime.date) -> None:
    """Mohammed signed on paper (scan attached); Olena agreed to sharing with partner B."""
    actor = demo.users["cm_a"]
    if participant.family_name == "Al-Hassan":
        consent = Consent(
            participant=participant,
            purpose=ConsentPurpose.COUNSELLING,
            given_on=participant.entry_date,
            method=ConsentMethod.SIGNED_PAPER,
            sheet_version=INFO_SHEET_VERSION,
            sheet_language="ar",
        )
        services.consent_record(actor=actor, consent=consent, scan=SimpleUploadedFile("scan.pdf", DEMO_SCAN))
    if participant.family_name == "Schewtschenko":
        consent = Consent(
            participant=participant,
            purpose=ConsentPurpose.SHARING,
            given_on=participant.entry_date,
            method=ConsentMethod.ON_SCREEN,
            sheet_version=INFO_SHEET_VERSION,
            sheet_language="uk",
        )
        services.consent_record(actor=actor, consent=consent, shared_with=[demo.partners["B"]])


# Origins weighted roughly like first-time asylum applications in Germany 2023/24,
# plus Ukrainians under § 24: (country, weight, given names, family names).
ORIGINS = [
    (
        "SY",
        28,
        ["Mohammed", "Muhammad", "Ahmad", "Ahmed", "Abdulrahman", "Omar", "Fatima", "Aya", "Rasha", "Khaled"],
        ["Al-Hassan", "Alhasan", "Hussein", "Husain", "Haddad", "Khalil", "Al-Ahmad", "Suleiman"],
    ),
    (
        "AF",
        14,
        ["Ahmad", "Mohammad", "Zahra", "Mariam", "Ali", "Hossein", "Farid", "Nadia"],
        ["Rahimi", "Ahmadi", "Hakimi", "Karimi", "Noori", "Sultani"],
    ),
    (
        "TR",
        12,
        ["Mehmet", "Ahmet", "Ayşe", "Fatma", "Hüseyin", "Emine", "Mustafa"],
        ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Aydın"],
    ),
    (
        "UA",
        12,
        ["Olena", "Oksana", "Iryna", "Andrii", "Serhii", "Yuliia"],
        ["Shevchenko", "Schewtschenko", "Kovalenko", "Bondarenko", "Tkachenko", "Koval"],
    ),
    (
        "IQ",
        7,
        ["Mustafa", "Ali", "Hussein", "Zainab", "Noor", "Abbas"],
        ["Al-Jubouri", "Hussein", "Kareem", "Salih"],
    ),
    ("IR", 5, ["Zahra", "Reza", "Maryam", "Mehdi", "Sara"], ["Ahmadi", "Mohammadi", "Hosseini", "Rezaei"]),
    (
        "ER",
        4,
        ["Yonas", "Filmon", "Helen", "Semhar", "Tesfay"],
        ["Tesfay", "Ghebremariam", "Haile", "Kidane"],
    ),
    ("SO", 3, ["Fatima", "Abdi", "Hodan", "Mohamed", "Faisal"], ["Yusuf", "Youssef", "Abdullahi", "Warsame"]),
    ("GE", 3, ["Giorgi", "Nino", "Levan", "Tamari"], ["Beridze", "Kapanadze", "Gelashvili"]),
    ("RU", 3, ["Aslan", "Madina", "Ruslan", "Zarema"], ["Kadyrov", "Aliev", "Alijew", "Magomedov"]),
    ("XX", 1, ["Ahmad", "Layla"], ["Mahmoud", "Darwish"]),
]
STATUS_WEIGHTS = [
    ("gestattung", 30),
    ("duldung_60a", 10),
    ("duldung_60b", 2),
    ("duldung_60c", 2),
    ("ae_25_2_refugee", 18),
    ("ae_25_2_subsidiary", 12),
    ("ae_24", 12),
    ("ae_25_3", 4),
    ("ae_25a", 3),
    ("ae_25b", 2),
    ("ae_104c", 3),
    ("niederlassung", 2),
]
VOWEL_SWAPS = [("o", "u"), ("e", "a"), ("ss", "s"), ("ou", "u"), ("ei", "ai")]


def _variant(name: str, rng: random.Random) -> str:
    """Another plausible transliteration of the same name."""
    for old, new in rng.sample(VOWEL_SWAPS, len(VOWEL_SWAPS)):
        if old in name:
            return name.replace(old, new, 1)
    return name


def generate(demo: DemoNetwork, count: int, *, seed: int = 2026, batch: int = 2000) -> int:
    """Bulk-loads `count` synthetic participants (with name and blocking keys and residence documents)
    for benchmarks. Written in bulk, not through the audited services: it is a data
    loader for test installations, refused in production by seed_demo."""
    rng = random.Random(seed)
    today = datetime.date.today()
    homes = [
        (demo.partners[p], demo.teams[t])
        for p, t in [
            ("A", "Rostock"),
            ("B", "Greifswald"),
            ("C", "Schwerin"),
            ("D", "Neubrandenburg"),
            ("E", "Neubrandenburg"),
        ]
    ]
    origins = [o for o in ORIGINS for _ in range(o[1])]
    statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]
    project = Project.objects.get(network=demo.network, name="NAF MV plus")
    made = 0
    for chunk in _chunks(count, batch):
        people = [_person(rng, origins, homes, today) for _ in range(chunk)]
        for person, _variant_name in people:
            person.project = project
            person.current_status = rng.choice(statuses)
            person.current_valid_until = today + datetime.timedelta(days=rng.randint(-30, 700))
        with transaction.atomic():
            created = Participant.objects.bulk_create([p for p, _v in people])
            NameKey.objects.bulk_create(
                NameKey(participant=p, key=k[:64])
                for p, (_, variant) in zip(created, people, strict=True)
                for k in sorted(
                    set().union(*(names.name_keys(x) for x in (p.given_names, p.family_name, variant)))
                )
            )
            BlockingKey.objects.bulk_create(blocking_key_objects(created))
            ResidenceStatus.objects.bulk_create(
                ResidenceStatus(
                    participant=p,
                    status=p.current_status,
                    issued_on=today - datetime.timedelta(days=rng.randint(30, 900)),
                    valid_until=p.current_valid_until,
                )
                for p in created
            )
        made += chunk
    return made


def _chunks(total: int, size: int) -> Iterator[int]:
    while total > 0:
        yield min(size, total)
        total -= size


Origin = tuple[str, int, list[str], list[str]]


def _person(
    rng: random.Random, origins: list[Origin], homes: list[tuple[Organisation, Team]], today: datetime.date
) -> tuple[Participant, str]:
    country, _w, given_pool, family_pool = rng.choice(origins)
    given, family = rng.choice(given_pool), rng.choice(family_pool)
    organisation, team = rng.choice(homes)
    year = rng.randint(today.year - 60, today.year - 16)
    precision = rng.random()
    month = rng.randint(1, 12) if precision > 0.15 else None
    day = rng.randint(1, 28) if precision > 0.3 and month else None
    participant = Participant(
        organisation=organisation,
        team=team,
        given_names=given,
        family_name=family,
        latin_name=names.to_latin(f"{given} {family}"),
        birth_year=year,
        birth_month=month,
        birth_day=day,
        gender=rng.choice([Gender.FEMALE, Gender.MALE, Gender.MALE]),
        nationality=country,
        country_of_birth=country,
        entry_date=today - datetime.timedelta(days=rng.randint(0, 1200)),
    )
    return participant, _variant(f"{given} {family}", rng)
