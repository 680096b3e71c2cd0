"""Eligibility against a project's target groups: the rules are data (Project.target_groups)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django_countries.fields import Country

from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Organisation
from bruecke.participants.models import Gender, Participant, ResidenceStatus, WorkNote
from bruecke.participants.services import participant_create, residence_status_add
from bruecke.projects.demo import NAF_TARGET_GROUPS, WIR_TARGET_GROUPS
from bruecke.projects.eligibility import Eligibility, evaluate, validate_target_groups
from bruecke.projects.models import EsfVariant, Project

NAF = "NAF MV plus"
WIR = "ABS-OPR"
ENTRY = datetime.date(2025, 3, 1)
ISSUED = datetime.date(2025, 1, 15)
ON = datetime.date(2025, 6, 1)
OK = WorkNote.WITH_PERMISSION
BAN = WorkNote.NOT_PERMITTED
UNKNOWN = WorkNote.NONE


@dataclass(frozen=True)
class Doc:
    status: str
    note: str = OK
    issued_on: datetime.date = ISSUED
    valid_until: datetime.date | None = None


Maker = Callable[..., Participant]


@pytest.fixture
def make(demo: DemoNetwork) -> Maker:
    """A participant of the named project (or none), built through the real services."""

    def build(
        project: str | None,
        *docs: Doc,
        nationality: str = "SY",
        born: tuple[int, int | None, int | None] = (1995, 5, 17),
        entry: datetime.date = ENTRY,
    ) -> Participant:
        network = demo.second_network if project == WIR else demo.network
        organisation = (
            Organisation.objects.get(network=network, name="Arbeit und Integration Ruppin e. V.")
            if project == WIR
            else demo.partners["A"]
        )
        actor = demo.users["ruppin.berater"] if project == WIR else demo.users["cm_a"]
        participant = participant_create(
            actor=actor,
            participant=Participant(
                organisation=organisation,
                project=Project.objects.get(network=network, name=project) if project else None,
                given_names="Test",
                family_name="Person",
                birth_year=born[0],
                birth_month=born[1],
                birth_day=born[2],
                gender=Gender.FEMALE,
                nationality=nationality,
                entry_date=entry,
            ),
        )
        for doc in docs:
            residence_status_add(
                actor=actor,
                status=ResidenceStatus(
                    participant=participant,
                    status=doc.status,
                    issued_on=doc.issued_on,
                    valid_until=doc.valid_until,
                    work_note=doc.note,
                ),
            )
        return Participant.objects.get(pk=participant.pk)

    return build


# (project, document, nationality, expected verdict, expected group)
CASES: list[tuple[str | None, Doc | None, str, str, str | None]] = [
    # NAFplus: each group
    (NAF, Doc("gestattung"), "SY", "eligible", "good_prospects"),
    (NAF, Doc("gestattung"), "AF", "eligible", "good_prospects"),
    (NAF, Doc("gestattung"), "TR", "eligible", "non_safe_origin"),
    (NAF, Doc("duldung_60a"), "TR", "eligible", "non_safe_origin"),
    (NAF, Doc("gestattung"), "AL", "eligible", "asylum_seekers"),
    (NAF, Doc("gestattung", BAN), "TR", "eligible", "asylum_seekers"),
    (NAF, Doc("gestattung"), "XU", "eligible", "asylum_seekers"),
    (NAF, Doc("duldung_60a"), "AL", "eligible", "tolerated"),
    (NAF, Doc("duldung_60c"), "GE", "eligible", "tolerated"),
    (NAF, Doc("duldung_60d"), "XU", "eligible", "tolerated"),
    # Recognised refugees and other protection: more than "good prospects" (decision 0026)
    (NAF, Doc("ae_25_2_refugee", WorkNote.PERMITTED), "SY", "eligible", "protection_granted"),
    (NAF, Doc("ae_25_2_subsidiary", UNKNOWN), "ER", "eligible", "protection_granted"),
    (NAF, Doc("ae_24", UNKNOWN), "UA", "eligible", "protection_granted"),
    (NAF, Doc("ae_25a", UNKNOWN), "IR", "eligible", "protection_granted"),
    (NAF, Doc("ae_19d", UNKNOWN), "AL", "eligible", "protection_granted"),
    # NAFplus: exclusions
    (NAF, Doc("duldung_60a", BAN), "TR", "not_eligible", None),
    (NAF, Doc("duldung_60a", BAN), "RS", "not_eligible", None),
    (NAF, Doc("duldung_60b"), "SY", "not_eligible", None),
    (NAF, Doc("niederlassung", WorkNote.PERMITTED), "SY", "not_eligible", None),
    (NAF, Doc("ae_18ab", WorkNote.PERMITTED), "SY", "not_eligible", None),
    # NAFplus: missing facts
    (NAF, Doc("duldung_60a", UNKNOWN), "XU", "unclear", None),
    (NAF, Doc("duldung_60a", UNKNOWN), "AL", "unclear", None),
    (NAF, Doc("duldung_60a", UNKNOWN), "", "unclear", None),
    (NAF, None, "SY", "unclear", None),
    (None, Doc("gestattung"), "SY", "unclear", None),
    # WIR: each group
    (WIR, Doc("ae_25_2_refugee", WorkNote.PERMITTED), "SY", "eligible", "residence_permit"),
    (WIR, Doc("ae_24", UNKNOWN), "UA", "eligible", "residence_permit"),
    (WIR, Doc("ae_25_3", UNKNOWN), "XU", "eligible", "residence_permit"),
    (WIR, Doc("gestattung"), "AL", "eligible", "asylum_seekers"),
    (WIR, Doc("duldung_60a"), "GE", "eligible", "tolerated"),
    (WIR, Doc("duldung_60c"), "AF", "eligible", "tolerated"),
    # WIR: absolute work bans
    (WIR, Doc("gestattung", BAN), "SY", "not_eligible", None),
    (WIR, Doc("duldung_60a", BAN), "IQ", "not_eligible", None),
    (WIR, Doc("duldung_60b"), "GE", "not_eligible", None),
    (WIR, Doc("niederlassung", WorkNote.PERMITTED), "SY", "not_eligible", None),
    # WIR: missing facts
    (WIR, Doc("duldung_60a", UNKNOWN), "SY", "unclear", None),
    (WIR, None, "SY", "unclear", None),
]


@pytest.mark.parametrize(
    ("project", "doc", "nationality", "verdict", "group"),
    CASES,
    ids=[
        f"{p or 'none'}-{d.status if d else 'no-doc'}-{d.note if d else ''}-{n or 'blank'}"
        for p, d, n, *_ in CASES
    ],
)
def test_target_groups(
    make: Maker, project: str | None, doc: Doc | None, nationality: str, verdict: str, group: str | None
) -> None:
    participant = make(project, *([doc] if doc else []), nationality=nationality)
    result = evaluate(participant, on=ON)
    assert (result.verdict, result.matched_group) == (verdict, group), result.reasons
    assert result.reasons, "every verdict says why"


def test_the_reason_names_the_group_and_the_facts(make: Maker) -> None:
    participant = make(NAF, Doc("gestattung"), nationality="SY")
    with translation.override("de"):
        result = evaluate(participant, on=ON)
        status = participant.residence_statuses.get().get_status_display()
        assert status in result.reasons[0]
        assert Country("SY").name in result.reasons[0]
        assert "Asylsuchende mit guter Bleibeperspektive" in result.reasons[0]
    with translation.override("en"):
        assert "Asylum seekers with good prospects of staying" in evaluate(participant, on=ON).reasons[0]


def test_exclusions_and_missing_facts_are_named(make: Maker) -> None:
    with translation.override("en"):
        banned = evaluate(make(NAF, Doc("duldung_60a", BAN), nationality="TR"), on=ON)
        assert len(banned.reasons) == 2  # excluded from both Duldung groups by the note
        assert all(str(BAN.label) in reason for reason in banned.reasons)

        no_60b = evaluate(make(NAF, Doc("duldung_60b"), nationality="SY"), on=ON)
        assert no_60b.reasons == [
            "Duldung § 60b (unclear identity) is not a residence status "
            f"of any target group of project {NAF}."
        ]

        unknown = evaluate(make(NAF, Doc("duldung_60a", UNKNOWN), nationality="XU"), on=ON)
        assert unknown.reasons == [
            "Nationality not established, note on work in the residence document not recorded: "
            "needed for target group 'Refugees from countries of origin not classified as safe'.",
            "Note on work in the residence document not recorded: "
            "needed for target group "
            "'Tolerated persons with at least subordinate access to the labour market'.",
        ]

        no_document = evaluate(make(NAF, nationality="SY"), on=ON)
        assert no_document.reasons == ["No residence document issued on or before 01.06.2025 is recorded."]

        no_project = evaluate(make(None, Doc("gestattung")), on=ON)
        assert (no_project.matched_group, no_project.on) == (None, None)
        assert "No project" in no_project.reasons[0]


@pytest.mark.parametrize(
    ("born", "verdict"),
    [
        ((2010, 3, 2), "not_eligible"),  # 14 on the entry day 1 March 2025
        ((2010, 3, 1), "eligible"),  # 15th birthday on the entry day
        ((2010, None, None), "eligible"),  # year only: counted from 1 January
        ((2011, None, None), "not_eligible"),
    ],
)
def test_minimum_age_at_entry(make: Maker, born: tuple[int, int | None, int | None], verdict: str) -> None:
    participant = make(WIR, Doc("ae_25a", WorkNote.PERMITTED), born=born)
    assert evaluate(participant, on=ON).verdict == verdict
    # Age counts at entry, not on the assessment date.
    assert evaluate(participant, on=datetime.date(2026, 6, 1)).verdict == verdict


def test_the_minimum_age_excludes_even_without_a_document(make: Maker) -> None:
    assert evaluate(make(WIR, born=(2012, 1, 1)), on=ON).verdict == "not_eligible"


def test_naf_has_no_minimum_age(make: Maker) -> None:
    assert evaluate(make(NAF, Doc("gestattung"), born=(2012, 1, 1)), on=ON).verdict == "eligible"


def test_the_document_in_force_on_the_date_decides(make: Maker) -> None:
    participant = make(
        NAF,
        Doc("gestattung", issued_on=datetime.date(2024, 6, 1)),
        Doc("duldung_60b", UNKNOWN, issued_on=datetime.date(2025, 2, 1)),
        nationality="SY",
        entry=datetime.date(2024, 7, 1),
    )
    before = evaluate(participant, on=datetime.date(2024, 12, 1))
    assert (before.verdict, before.matched_group) == ("eligible", "good_prospects")
    assert evaluate(participant, on=datetime.date(2025, 2, 1)).verdict == "not_eligible"
    assert evaluate(participant, on=datetime.date(2025, 3, 1)).verdict == "not_eligible"
    assert evaluate(participant, on=datetime.date(2024, 5, 31)).verdict == "unclear"


def test_today_is_the_default_date(make: Maker) -> None:
    participant = make(NAF, Doc("gestattung"))
    assert evaluate(participant).on == datetime.date.today()


def test_an_expired_document_is_mentioned(make: Maker) -> None:
    doc = Doc("gestattung", valid_until=datetime.date(2025, 4, 30))
    result = evaluate(make(NAF, doc), on=ON)
    assert result.verdict == "eligible"
    assert any("30.04.2025" in reason for reason in result.reasons)


# --- a project configured with status_valid_on_entry ---

ON_ENTRY_GROUPS = [
    {
        "key": "asylum_at_entry",
        "label_de": "Gestattung bei Eintritt",
        "label_en": "Gestattung at entry",
        "any_status": ["gestattung"],
        "conditions": [{"status_valid_on_entry": True}],
    }
]


@pytest.fixture
def on_entry_project(demo: DemoNetwork) -> Project:
    return Project.objects.create(
        network=demo.network,
        name="Test: valid on entry",
        esf_variant=EsfVariant.ESF_PLUS,
        starts_on=datetime.date(2024, 1, 1),
        target_groups=ON_ENTRY_GROUPS,
    )


@pytest.mark.parametrize(
    ("docs", "verdict"),
    [
        ([Doc("gestattung", valid_until=datetime.date(2025, 6, 30))], "eligible"),
        ([Doc("gestattung", valid_until=datetime.date(2025, 2, 28))], "not_eligible"),
        ([Doc("duldung_60a"), Doc("gestattung", issued_on=datetime.date(2025, 4, 1))], "not_eligible"),
        ([Doc("gestattung", issued_on=datetime.date(2025, 4, 1))], "unclear"),
    ],
)
def test_status_valid_on_entry(make: Maker, on_entry_project: Project, docs: list[Doc], verdict: str) -> None:
    participant = make(NAF, *docs)
    participant.project = on_entry_project
    assert evaluate(participant, on=ON).verdict == verdict


def test_an_invalid_or_empty_configuration_is_unclear(make: Maker, on_entry_project: Project) -> None:
    participant = make(NAF, Doc("gestattung"))
    participant.project = on_entry_project
    on_entry_project.target_groups = [{**ON_ENTRY_GROUPS[0], "conditions": [{"is_nice": True}]}]
    assert evaluate(participant, on=ON).verdict == "unclear"
    on_entry_project.target_groups = []
    assert evaluate(participant, on=ON).verdict == "unclear"


def test_prefetched_documents_need_no_queries(make: Maker, count_queries: Callable[[], Any]) -> None:
    pk = make(NAF, Doc("gestattung")).pk
    participant = (
        Participant.objects.select_related("project").prefetch_related("residence_statuses").get(pk=pk)
    )
    with count_queries() as queries:
        evaluate(participant, on=ON)
    assert queries.count == 0


# --- configuration ---


def test_the_demo_configurations_are_valid() -> None:
    assert validate_target_groups(NAF_TARGET_GROUPS) == []
    assert validate_target_groups(WIR_TARGET_GROUPS) == []


def test_the_seeded_projects_carry_the_demo_configuration(demo: DemoNetwork) -> None:
    assert Project.objects.get(network=demo.network, name=NAF).target_groups == NAF_TARGET_GROUPS
    wir = Project.objects.get(network=demo.second_network, name=WIR)
    assert (wir.target_groups, wir.minimum_age) == (WIR_TARGET_GROUPS, 15)


def _group(**changes: Any) -> dict[str, Any]:
    group: dict[str, Any] = {
        "key": "g",
        "label_de": "Gruppe",
        "label_en": "Group",
        "any_status": ["gestattung"],
        "conditions": [],
    }
    group.update(changes)
    return {k: v for k, v in group.items() if v is not None}


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"groups": []}, "list"),
        (["gestattung"], "object"),
        ([_group(conditions=[{"is_refugee": True}])], "unknown condition 'is_refugee'"),
        ([_group(conditions=[{"not_work_note": "banned"}])], "not_work_note"),
        ([_group(conditions=[{"status_valid_on_entry": False}])], "status_valid_on_entry"),
        ([_group(conditions=[{"nationality_in": "SY"}])], "nationality_in"),
        ([_group(conditions=[{"nationality_in": []}])], "nationality_in"),
        ([_group(conditions=[{"nationality_not_in": ["AL", "XU"]}])], "'XU'"),
        ([_group(conditions=[{"nationality_not_in": ["al"]}])], "'al'"),
        ([_group(conditions=[{"nationality_in": ["QQ"]}])], "'QQ'"),
        ([_group(conditions=[{"nationality_in": ["SY"], "not_work_note": "not_permitted"}])], "exactly one"),
        ([_group(conditions={"nationality_in": ["SY"]})], "conditions"),
        ([_group(any_status=["duldung_61"])], "'duldung_61'"),
        ([_group(any_status=[])], "any_status"),
        ([_group(any_status=None)], "'any_status' is missing"),
        ([_group(label_de=None)], "'label_de' is missing"),
        ([_group(label_en="  ")], "label_en"),
        ([_group(key="Good Prospects")], "key"),
        ([_group(), _group()], "twice"),
        ([_group(minimum_age=18)], "unknown key 'minimum_age'"),
    ],
)
def test_invalid_configurations_are_rejected(data: object, fragment: str) -> None:
    with translation.override("en"):
        errors = validate_target_groups(data)
    assert errors
    assert any(fragment in error for error in errors), errors


def test_the_demo_country_lists_accept_kosovo() -> None:
    assert validate_target_groups([_group(conditions=[{"nationality_not_in": ["XK", "RS"]}])]) == []


# --- the panel ---


@pytest.mark.parametrize(
    "eligibility",
    [
        Eligibility("eligible", ["A reason"], "good_prospects", ON),
        Eligibility("not_eligible", ["First reason", "Second reason"], None, ON),
        Eligibility("unclear", ["Nationality missing"]),
    ],
)
def test_the_panel_states_the_verdict_in_words(make: Maker, eligibility: Eligibility) -> None:
    participant = make(NAF, Doc("gestattung"))
    with translation.override("en"):
        html = render_to_string(
            "projects/eligibility_panel.html", {"eligibility": eligibility, "participant": participant}
        )
        label = eligibility.verdict_label
    assert '<section aria-labelledby="eligibility-heading"' in html
    assert '<h2 class="kern-heading-medium" id="eligibility-heading">Eligibility</h2>' in html
    badge = rf'class="kern-badge kern-badge--\w+ verdict verdict-{eligibility.verdict}">'
    assert re.search(badge + rf'<span class="kern-label">{label}<', html)
    assert NAF in html
    for reason in eligibility.reasons:
        assert f"<li>{reason}</li>" in html


def test_the_panel_for_a_real_participant(make: Maker) -> None:
    participant = make(WIR, Doc("duldung_60b"), nationality="GE")
    result = evaluate(participant, on=ON)
    html = render_to_string(
        "projects/eligibility_panel.html", {"eligibility": result, "participant": participant}
    )
    assert "verdict-not_eligible" in html
    assert WIR in html
