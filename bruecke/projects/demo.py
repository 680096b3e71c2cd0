"""Demo projects: an ESF Plus project in Mecklenburg-Vorpommern with the NAFplus target
groups, and a WIR project in Ostprignitz-Ruppin."""

from __future__ import annotations

import datetime

from django.db import transaction

from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction
from bruecke.core.services import model_create
from bruecke.network.models import Network
from bruecke.participants.models import ResidenceStatusType
from bruecke.projects.models import EsfVariant, Project

# Target-group rules as data; their vocabulary is defined in bruecke/projects/eligibility.py.
# Groups are tried in order and the first match is reported, so specific groups come first.
#
# Both country lists are project settings, not law: each project keeps its own copy in its
# `target_groups` and updates it when the funder's definition changes.
#
# "Good prospects of staying" (gute Bleibeperspektive) is an administrative classification
# (protection rate above 50 %) for funding purposes, changed from time to time
# (see shared/design/work-permission-law.md §1c).
GOOD_PROSPECTS_NATIONALITIES = ["SY", "ER", "AF", "IQ", "IR", "SO"]
# Safe countries of origin (Anlage II zu § 29a AsylG / § 29b ordinance, 2026); XK = Kosovo.
SAFE_COUNTRIES_OF_ORIGIN = ["AL", "BA", "GH", "XK", "MK", "ME", "SN", "RS", "GE", "MD"]
# Duldungen that can come with (at least subordinate) access to the labour market;
# § 60b (unclear identity) carries an absolute work ban and is never included.
DULDUNG_WITH_ACCESS = ["duldung_60a", "duldung_60c", "duldung_60d"]
# "Erwerbstätigkeit nicht gestattet" in the document: an absolute work ban.
NO_WORK_BAN = {"not_work_note": "not_permitted"}
RESIDENCE_PERMITS = [status for status in ResidenceStatusType.values if status.startswith("ae_")]
# Refugees whose stay is secured: recognised protection (§ 25 (1)–(3)), temporary
# protection (§ 24), humanitarian permits (§ 25 (4)–(5), § 25a, § 25b, § 104c) and the
# permits open to tolerated persons (§ 16g, § 19d). Not the skilled-worker permits
# (§ 16a, § 18a/b: no refugee status) nor the Niederlassungserlaubnis (settled).
# See docs/decisions/0026-names-in-own-script-and-demo-target-groups.md for the reading.
PROTECTION_PERMITS = [
    "ae_25_1",
    "ae_25_2_refugee",
    "ae_25_2_subsidiary",
    "ae_25_3",
    "ae_25_4",
    "ae_25_4ab",
    "ae_25_5",
    "ae_24",
    "ae_25a",
    "ae_25b",
    "ae_104c",
    "ae_16g",
    "ae_19d",
]

NAF_TARGET_GROUPS: list[dict[str, object]] = [
    {
        "key": "good_prospects",
        "label_de": "Asylsuchende mit guter Bleibeperspektive",
        "label_en": "Asylum seekers with good prospects of staying",
        "any_status": ["gestattung"],
        "conditions": [{"nationality_in": GOOD_PROSPECTS_NATIONALITIES}],
    },
    {
        "key": "non_safe_origin",
        "label_de": "Geflüchtete aus nicht sicheren Herkunftsstaaten",
        "label_en": "Refugees from countries of origin not classified as safe",
        "any_status": ["gestattung", *DULDUNG_WITH_ACCESS],
        "conditions": [{"nationality_not_in": SAFE_COUNTRIES_OF_ORIGIN}, NO_WORK_BAN],
    },
    {
        "key": "asylum_seekers",
        "label_de": "Asylsuchende (Aufenthaltsgestattung)",
        "label_en": "Asylum seekers (Aufenthaltsgestattung)",
        "any_status": ["gestattung"],
        "conditions": [],
    },
    {
        "key": "tolerated",
        "label_de": "Geduldete mit mindestens nachrangigem Arbeitsmarktzugang",
        "label_en": "Tolerated persons with at least subordinate access to the labour market",
        "any_status": DULDUNG_WITH_ACCESS,
        "conditions": [NO_WORK_BAN],
    },
    # "Geflüchtete mit hoher Bleibeperspektive": whose protection is granted have more
    # than prospects of staying; the predecessor programme named them ("Bleibeberechtigte").
    {
        "key": "protection_granted",
        "label_de": "Geflüchtete mit Schutzstatus oder humanitärem Aufenthaltsrecht",
        "label_en": "Refugees with protection status or a humanitarian right of residence",
        "any_status": PROTECTION_PERMITS,
        "conditions": [],
    },
]

# WIR: refugees aged 15 or older (Project.minimum_age) unless an absolute work ban applies.
WIR_TARGET_GROUPS: list[dict[str, object]] = [
    {
        "key": "residence_permit",
        "label_de": "Geflüchtete mit Aufenthaltserlaubnis",
        "label_en": "Refugees with a residence permit",
        "any_status": RESIDENCE_PERMITS,
        "conditions": [],
    },
    {
        "key": "asylum_seekers",
        "label_de": "Asylsuchende ohne absolutes Arbeitsverbot",
        "label_en": "Asylum seekers without an absolute work ban",
        "any_status": ["gestattung"],
        "conditions": [NO_WORK_BAN],
    },
    {
        "key": "tolerated",
        "label_de": "Geduldete ohne absolutes Arbeitsverbot",
        "label_en": "Tolerated persons without an absolute work ban",
        "any_status": DULDUNG_WITH_ACCESS,
        "conditions": [NO_WORK_BAN],
    },
]


def seed_projects(mv: Network, opr: Network) -> None:
    for network, name, programme, variant, groups, minimum_age in [
        (
            mv,
            "NAF MV plus",
            "ESF Plus – Land Mecklenburg-Vorpommern",
            EsfVariant.ESF_PLUS,
            NAF_TARGET_GROUPS,
            None,
        ),
        (opr, "ABS-OPR", "ESF Plus – WIR", EsfVariant.ESF_PLUS, WIR_TARGET_GROUPS, 15),
    ]:
        existing = Project.objects.filter(network=network, name=name).first()
        if existing is not None:
            _update_target_groups(existing, groups)
        else:
            model_create(
                actor=None,
                instance=Project(
                    network=network,
                    name=name,
                    programme=programme,
                    esf_variant=variant,
                    starts_on=datetime.date(2024, 1, 1),
                    ends_on=datetime.date(2027, 12, 31),
                    target_groups=groups,
                    minimum_age=minimum_age,
                ),
            )


@transaction.atomic
def _update_target_groups(project: Project, groups: list[dict[str, object]]) -> None:
    """A demo database seeded before a change of the demo's target groups gets the new
    ones, and its participants' stored eligibility is recomputed."""
    if project.target_groups == groups:
        return
    from bruecke.participants.services import refresh_eligibility

    project.target_groups = groups
    project.full_clean()
    project.save(update_fields=["target_groups", "updated_at"])
    # The seed is the actor, as for model_create(actor=None) above.
    audit_record(actor=None, action=AuditAction.UPDATE, obj=project, changed_fields=["target_groups"])
    for participant in project.participants.all():
        refresh_eligibility(participant)
