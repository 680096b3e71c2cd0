"""The demo network: NAFplus-like partners in Mecklenburg-Vorpommern and a second network
in Ostprignitz-Ruppin, with the persona users the tests use. Idempotent."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models, transaction

from bruecke.accounts.models import User
from bruecke.core.services import model_create
from bruecke.network.models import (
    ConsultationHour,
    Membership,
    MobileSite,
    Network,
    Office,
    Organisation,
    Recurrence,
    Role,
    SiteKind,
    Team,
)
from bruecke.projects.demo import seed_projects

DEMO_PASSWORD = "bruecke-demo-2026"
M = TypeVar("M", bound=models.Model)

MV = "Netzwerk Arbeit für Geflüchtete MV"
OPR = "WIR-Netzwerk Ostprignitz-Ruppin"

# (key, name, short name, lead partner, town)
# The authority of both demo networks' states, and a plausible retention period (ESF: the
# project's documents are kept for years after the end of the programme).
_MV_AUTHORITY = (
    "Der Landesbeauftragte für Datenschutz und Informationsfreiheit Mecklenburg-Vorpommern, "
    "Schloss Schwerin, Lennéstraße 1, 19053 Schwerin, info@datenschutz-mv.de"
)
_BB_AUTHORITY = (
    "Die Landesbeauftragte für den Datenschutz und für das Recht auf Akteneinsicht Brandenburg, "
    "Stahnsdorfer Damm 77, 14532 Kleinmachnow, poststelle@lda.brandenburg.de"
)
RETENTION_YEARS = 10


def _privacy_details(street: str, postcode: str, authority: str, officer: str) -> dict[str, Any]:
    return {
        "street": street,
        "postcode": postcode,
        "privacy_officer": officer,
        "supervisory_authority": authority,
        "retention_years": RETENTION_YEARS,
    }


# (key, street, postcode, data-protection officer) of the demo partners
PRIVACY = {
    "A": (
        "Lange Straße 1a",
        "18055",
        "Datenschutzbeauftragte: Dr. Petra Lüders, Lange Straße 1a, 18055 Rostock, datenschutz@bildungswerk-kueste.example",
    ),
    "B": (
        "Domstraße 20",
        "17489",
        "Externer Datenschutzbeauftragter: DS-Nord GmbH, Am Hafen 3, 17489 Greifswald, dsb@ds-nord.example",
    ),
    "C": (
        "Mecklenburgstraße 12",
        "19053",
        "Datenschutzbeauftragter: Jens Ohm, Mecklenburgstraße 12, 19053 Schwerin, datenschutz@migrationsdienst-wm.example",
    ),
    "D": (
        "Friedrich-Engels-Ring 5",
        "17033",
        "Datenschutzbeauftragte: Sabine Krull, 0395 555 0100, datenschutz@aub-seenplatte.example",
    ),
    "E": (
        "Friedrich-Engels-Ring 5",
        "17033",
        "Datenschutzbeauftragter: Tom Becker, datenschutz@jmd-nordost.example",
    ),
}

PARTNERS = [
    ("A", "Bildungswerk Küste e. V.", "Bildungswerk Küste", True, "Rostock"),
    ("B", "Integrationshilfe Vorpommern gGmbH", "Integrationshilfe VP", False, "Greifswald"),
    ("C", "Migrationsdienst Westmecklenburg e. V.", "Migrationsdienst WM", False, "Schwerin"),
    ("D", "Arbeit und Bildung Seenplatte gGmbH", "AuB Seenplatte", False, "Neubrandenburg"),
    ("E", "Jugendmigrationsdienst Nordost e. V.", "JMD Nordost", False, "Neubrandenburg"),
]

# (team, region, office partner, office street, postcode, lat, lon)
TEAMS = [
    ("Schwerin", "Westmecklenburg", "C", "Mecklenburgstraße 12", "19053", "53.62937", "11.41484"),
    ("Rostock", "Mittleres Mecklenburg", "A", "Lange Straße 21", "18055", "54.08868", "12.13951"),
    (
        "Neubrandenburg",
        "Mecklenburgische Seenplatte",
        "D",
        "Friedrich-Engels-Ring 5",
        "17033",
        "53.55763",
        "13.26087",
    ),
    ("Greifswald", "Vorpommern-Greifswald", "B", "Markt 8", "17489", "54.09573", "13.37813"),
]

# (site, kind, town, postcode, lat, lon, team)
SITES = [
    ("Rathaus Wismar", SiteKind.TOWN_HALL, "Wismar", "23966", "53.89140", "11.46520", "Schwerin"),
    (
        "Gemeinschaftsunterkunft Ludwigslust",
        SiteKind.SHELTER,
        "Ludwigslust",
        "19288",
        "53.32917",
        "11.49722",
        "Schwerin",
    ),
    (
        "Erstaufnahmeeinrichtung Nostorf-Horst",
        SiteKind.SHELTER,
        "Nostorf",
        "19258",
        "53.40510",
        "10.87830",
        "Schwerin",
    ),
    ("Jugendzentrum Güstrow", SiteKind.YOUTH_CENTRE, "Güstrow", "18273", "53.79413", "12.17510", "Rostock"),
    ("Rathaus Bad Doberan", SiteKind.TOWN_HALL, "Bad Doberan", "18209", "54.10623", "11.90917", "Rostock"),
    ("Jobcenter Stralsund", SiteKind.JOB_CENTRE, "Stralsund", "18435", "54.30911", "13.08184", "Greifswald"),
    (
        "Gemeinschaftsunterkunft Anklam",
        SiteKind.SHELTER,
        "Anklam",
        "17389",
        "53.85637",
        "13.68880",
        "Greifswald",
    ),
    (
        "Begegnungsstätte Pasewalk",
        SiteKind.COMMUNITY,
        "Pasewalk",
        "17309",
        "53.50535",
        "13.98828",
        "Greifswald",
    ),
    (
        "Jugendzentrum Waren (Müritz)",
        SiteKind.YOUTH_CENTRE,
        "Waren (Müritz)",
        "17192",
        "53.51624",
        "12.68258",
        "Neubrandenburg",
    ),
    (
        "Rathaus Neustrelitz",
        SiteKind.TOWN_HALL,
        "Neustrelitz",
        "17235",
        "53.36380",
        "13.06311",
        "Neubrandenburg",
    ),
    ("Berufsschule Demmin", SiteKind.SCHOOL, "Demmin", "17109", "53.90528", "13.04373", "Neubrandenburg"),
]

# Personas the tests use: key -> (username, first, last, partner, team, role)
PERSONAS: dict[str, tuple[str, str, str, str, str | None, str]] = {
    "cm_a": ("anna.berger", "Anna", "Berger", "A", "Rostock", Role.CASE_MANAGER),
    "po_a": ("jonas.krause", "Jonas", "Krause", "A", "Rostock", Role.PLACEMENT_OFFICER),
    "cm_b": ("leyla.demir", "Leyla", "Demir", "B", "Greifswald", Role.CASE_MANAGER),
    "team_lead": ("petra.lange", "Petra", "Lange", "A", "Rostock", Role.TEAM_LEAD),
    "coordinator": ("thomas.wolf", "Thomas", "Wolf", "A", None, Role.NETWORK_COORDINATOR),
    "dpo": ("sabine.fischer", "Sabine", "Fischer", "A", None, Role.DATA_PROTECTION_OFFICER),
    "admin": ("martin.schulz", "Martin", "Schulz", "A", None, Role.ADMINISTRATOR),
    "user_c": ("omar.haddad", "Omar", "Haddad", "C", "Schwerin", Role.CASE_MANAGER),
}
# Further staff so that every team has a case manager and a placement officer.
STAFF = [
    ("katrin.vogel", "Katrin", "Vogel", "B", "Greifswald", Role.PLACEMENT_OFFICER),
    ("mariam.saleh", "Mariam", "Saleh", "C", "Schwerin", Role.PLACEMENT_OFFICER),
    ("frank.neumann", "Frank", "Neumann", "D", "Neubrandenburg", Role.CASE_MANAGER),
    ("olena.koval", "Olena", "Koval", "E", "Neubrandenburg", Role.PLACEMENT_OFFICER),
]
OPR_STAFF = [
    ("ruppin.admin", "Dirk", "Hoffmann", Role.ADMINISTRATOR),
    ("ruppin.berater", "Nadia", "Rahimi", Role.CASE_MANAGER),
]


@dataclass
class DemoNetwork:
    network: Network
    partners: dict[str, Organisation]
    teams: dict[str, Team]
    users: dict[str, User]
    second_network: Network


def _ensure(model: type[M], lookup: dict[str, Any], defaults: dict[str, Any] | None = None) -> M:
    existing = model._default_manager.filter(**lookup).first()
    if existing is not None:
        return existing
    return model_create(actor=None, instance=model(**lookup, **(defaults or {})))


def _ensure_user(username: str, first: str, last: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name=first, last_name=last, email=f"{username}@example.org")
        user.set_password(DEMO_PASSWORD)
        model_create(actor=None, instance=user)
    return user


def _member(user: User, organisation: Organisation, team: Team | None, role: str) -> None:
    _ensure(
        Membership, {"user": user, "organisation": organisation, "team": team, "role": role, "ended_on": None}
    )


@transaction.atomic
def seed_network() -> DemoNetwork:
    network = _ensure(
        Network, {"name": MV}, {"region": "Mecklenburg-Vorpommern", "funding_programme": "ESF Plus"}
    )
    partners = {
        key: _ensure(
            Organisation,
            {"network": network, "name": name},
            {
                "short_name": short,
                "is_lead_partner": lead,
                "town": town,
                **_privacy_details(*PRIVACY[key][:2], _MV_AUTHORITY, PRIVACY[key][2]),
            },
        )
        for key, name, short, lead, town in PARTNERS
    }
    teams: dict[str, Team] = {}
    for team_name, region, partner, street, postcode, lat, lon in TEAMS:
        office = _ensure(
            Office,
            {"organisation": partners[partner], "name": f"Büro {team_name}"},
            {
                "street": street,
                "postcode": postcode,
                "town": team_name,
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
            },
        )
        teams[team_name] = _ensure(
            Team,
            {"network": network, "name": f"Regionalteam {team_name}"},
            {"region": region, "office": office},
        )
    for index, (name, kind, town, postcode, lat, lon, team_name) in enumerate(SITES):
        site = _ensure(
            MobileSite,
            {"network": network, "name": name},
            {
                "kind": kind,
                "town": town,
                "postcode": postcode,
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
            },
        )
        _ensure(
            ConsultationHour,
            {"site": site, "team": teams[team_name]},
            {
                "weekday": index % 5,
                "start_time": datetime.time(9 + (index % 3) * 2, 0),
                "end_time": datetime.time(11 + (index % 3) * 2, 0),
                "recurrence": Recurrence.WEEKLY if index % 2 == 0 else Recurrence.EVEN_WEEKS,
                "valid_from": datetime.date(2026, 1, 1),
            },
        )
    users: dict[str, User] = {}
    for key, (username, first, last, partner, persona_team, role) in PERSONAS.items():
        users[key] = _ensure_user(username, first, last)
        _member(users[key], partners[partner], teams[persona_team] if persona_team else None, role)
    for username, first, last, partner, team_name, role in STAFF:
        _member(_ensure_user(username, first, last), partners[partner], teams[team_name], role)
    second = _seed_second_network(users)
    seed_projects(network, second)
    return DemoNetwork(network, partners, teams, users, second)


def _seed_second_network(users: dict[str, User]) -> Network:
    network = _ensure(
        Network, {"name": OPR}, {"region": "Brandenburg", "funding_programme": "ESF Plus (WIR)"}
    )
    partner = _ensure(
        Organisation,
        {"network": network, "name": "Arbeit und Integration Ruppin e. V."},
        {
            "short_name": "AuI Ruppin",
            "is_lead_partner": True,
            "town": "Neuruppin",
            **_privacy_details(
                "Karl-Marx-Straße 33",
                "16816",
                _BB_AUTHORITY,
                "Datenschutzbeauftragte: Ines Roth, Karl-Marx-Straße 33, 16816 Neuruppin, datenschutz@aui-ruppin.example",
            ),
        },
    )
    office = _ensure(
        Office,
        {"organisation": partner, "name": "Büro Neuruppin"},
        {
            "street": "Karl-Marx-Straße 33",
            "postcode": "16816",
            "town": "Neuruppin",
            "latitude": Decimal("52.92520"),
            "longitude": Decimal("12.80270"),
        },
    )
    team = _ensure(
        Team,
        {"network": network, "name": "Team Neuruppin"},
        {"region": "Ostprignitz-Ruppin", "office": office},
    )
    for name, town, postcode, lat, lon, weekday in [
        ("Rathaus Wittstock/Dosse", "Wittstock/Dosse", "16909", "53.16190", "12.48560", 1),
        ("Gemeinschaftsunterkunft Kyritz", "Kyritz", "16866", "52.94210", "12.39660", 3),
    ]:
        site = _ensure(
            MobileSite,
            {"network": network, "name": name},
            {
                "kind": SiteKind.TOWN_HALL if "Rathaus" in name else SiteKind.SHELTER,
                "town": town,
                "postcode": postcode,
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
            },
        )
        _ensure(
            ConsultationHour,
            {"site": site, "team": team},
            {
                "weekday": weekday,
                "start_time": datetime.time(10),
                "end_time": datetime.time(12),
                "valid_from": datetime.date(2026, 1, 1),
            },
        )
    for username, first, last, role in OPR_STAFF:
        user = _ensure_user(username, first, last)
        users[username] = user
        _member(user, partner, team if role == Role.CASE_MANAGER else None, role)
    return network
