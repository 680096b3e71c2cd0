"""The profile of a case: one page with profile fields and rows, saved all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bruecke.cases.models import Case, CaseEvent, Profile, Qualification, WorkExperience
from bruecke.core.models import AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from tests.expectations_cases import _case

PROFILE = {
    "strengths": "Geduldig, gute Rechenkenntnisse",
    "wishes": "Arbeit im Lager",
    "possibilities": "",
    "career_goals": "Fachkraft für Lagerlogistik",
    "digital_skills": "good",
    "digital_skills_note": "",
    "driving_licence": "b",
    "driving_licence_classes": "",
    "public_transport": "on",
    "max_travel_minutes": "45",
}
EXPERIENCE = {
    "occupation": "Lagerarbeiter",
    "kldb_code": "51312",
    "isco_code": "9333",
    "years": "2,5",
    "country": "AF",
}
QUALIFICATION = {
    "kind": "school",
    "title": "Abschluss Klasse 12",
    "country": "AF",
    "year": "2015",
    "recognition": "not_needed",
}


def _rows(prefix: str, rows: list[dict[str, Any]], initial: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "30",
    }
    for i, row in enumerate(rows):
        data |= {f"{prefix}-{i}-{key}": value for key, value in row.items()}
    return data


def _data(
    version: int = 1,
    profile: dict[str, Any] | None = None,
    experiences: list[dict[str, Any]] | None = None,
    qualifications: list[dict[str, Any]] | None = None,
    initial: tuple[int, int] = (0, 0),
    wished: list[dict[str, Any]] | None = None,
    wished_initial: int = 0,
) -> dict[str, Any]:
    return {
        "version": str(version),
        **(PROFILE if profile is None else profile),
        **_rows("experiences", [EXPERIENCE] if experiences is None else experiences, initial[0]),
        **_rows("qualifications", [QUALIFICATION] if qualifications is None else qualifications, initial[1]),
        **_rows("wished", wished or [], wished_initial),
    }


def _new_case(demo: DemoNetwork) -> Case:
    """A case without profile: Amina Rahimi's (partner A, Rostock)."""
    amina = Participant.objects.get(family_name="Rahimi")
    return Case.objects.create(
        participant=amina,
        organisation=amina.organisation,
        team=demo.teams["Rostock"],
        case_manager=demo.users["cm_a"],
        opened_on=amina.entry_date,
    )


def _url(case: Case) -> str:
    return reverse("cases:profile_edit", args=[case.pk])


def _snapshot() -> tuple[int, ...]:
    return (
        Profile.objects.count(),
        WorkExperience.objects.count(),
        Qualification.objects.count(),
        AuditEvent.objects.exclude(action="read").count(),
        CaseEvent.objects.count(),
    )


def test_first_save_creates_the_profile_with_its_rows(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _new_case(demo)
    client = login("cm_a")
    assert client.get(_url(case)).status_code == 200
    assert not Profile.objects.filter(case=case).exists()  # only created on the first save
    response = client.post(_url(case), _data())
    assert response.status_code == 302, response.context and response.context["form"].errors
    profile = Profile.objects.get(case=case)
    assert profile.organisation == case.organisation and profile.version == 2
    assert profile.strengths == PROFILE["strengths"] and profile.public_transport and not profile.own_car
    experience = profile.experiences.get()
    assert (experience.kldb_code, experience.isco_code, experience.years) == ("51312", "9333", Decimal("2.5"))
    assert experience.country.code == "AF"
    assert profile.qualifications.get().year == 2015
    created = set(AuditEvent.objects.filter(action="create").values_list("object_type", flat=True))
    assert {"cases.profile", "cases.workexperience", "cases.qualification"} <= created
    event = CaseEvent.objects.get(case=case, kind="profile")
    assert event.details == {"experiences": 1, "qualifications": 1, "wished_occupations": 0}  # counts only


def test_the_case_page_shows_the_profile(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = _case(demo)
    for key in ("cm_a", "po_a"):
        content = (
            login(key).get(reverse("cases:detail", args=[case.pk]) + "?section=profile").content.decode()
        )
        assert "Elektroinstallation" in content and "26212" in content
        assert "Berufe in der Bauelektrik – Fachkraft" in content  # the wished occupation's title
        # The case manager edits it, and so does Jonas Krause: he is the case's placement officer.
        assert _url(case) in content
    other = _new_case(demo)  # a case of his team where he is not the placement officer
    client = login("po_a")
    content = client.get(reverse("cases:detail", args=[other.pk]) + "?section=profile").content.decode()
    assert _url(other) not in content
    assert client.get(_url(other)).status_code == 404


@pytest.mark.parametrize(
    ("part", "field", "value"),
    [
        ("experiences", "kldb_code", "1234"),
        ("experiences", "kldb_code", "12a45"),
        ("experiences", "kldb_code", "123456"),
        ("experiences", "isco_code", "741"),
        ("experiences", "isco_code", "74 1"),
        ("experiences", "years", "-1"),
        ("experiences", "years", "61"),
        ("experiences", "years", "2,55"),
        ("experiences", "years", "viele"),
        ("experiences", "occupation", ""),
        ("experiences", "occupation", "Lager\x00arbeiter"),
        ("experiences", "occupation", "x" * 201),
        ("experiences", "country", "ZZ"),
        ("qualifications", "year", "2999"),
        ("qualifications", "year", "1939"),
        ("qualifications", "kind", "diploma"),
        ("qualifications", "recognition", "maybe"),
        ("qualifications", "title", ""),
        ("profile", "max_travel_minutes", "0"),
        ("profile", "max_travel_minutes", "301"),
        ("profile", "max_travel_minutes", "-5"),
        ("profile", "strengths", "gut\x00"),
        ("profile", "strengths", "x" * 4001),
        ("profile", "digital_skills", "expert"),
        ("profile", "driving_licence_classes", "C1"),  # only with "other classes"
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_saved(
    login: Callable[[str], Client], demo: DemoNetwork, part: str, field: str, value: str
) -> None:
    case = _new_case(demo)
    if part == "profile":
        data = _data(profile={**PROFILE, field: value})
    elif part == "experiences":
        data = _data(experiences=[{**EXPERIENCE, field: value}])
    else:
        data = _data(qualifications=[{**QUALIFICATION, field: value}])
    before = _snapshot()
    response = login("cm_a").post(_url(case), data)
    assert response.status_code == 400
    form = response.context["form"] if part == "profile" else response.context[part].forms[0]
    assert field in form.errors
    assert f'id="{form[field].auto_id}-errors"' in response.content.decode()
    assert _snapshot() == before


def test_other_classes_need_their_names(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = _new_case(demo)
    response = login("cm_a").post(_url(case), _data(profile={**PROFILE, "driving_licence": "other"}))
    assert response.status_code == 400 and "driving_licence_classes" in response.context["form"].errors
    ok = login("cm_a").post(
        _url(case), _data(profile={**PROFILE, "driving_licence": "other", "driving_licence_classes": "C1E"})
    )
    assert ok.status_code == 302 and Profile.objects.get(case=case).driving_licence_classes == "C1E"


def test_whole_years_and_blank_new_rows(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = _new_case(demo)
    blank = {"occupation": "", "kldb_code": "", "isco_code": "", "years": "", "country": ""}
    data = _data(experiences=[{**EXPERIENCE, "years": "3"}, blank], qualifications=[])
    assert login("cm_a").post(_url(case), data).status_code == 302
    profile = Profile.objects.get(case=case)
    assert [e.years for e in profile.experiences.all()] == [Decimal("3")]  # the blank row is skipped


def _existing_rows(case: Case) -> tuple[Profile, list[dict[str, Any]], list[dict[str, Any]]]:
    profile = Profile.objects.get(case=case)
    experiences = [
        {
            "id": e.pk,
            "occupation": e.occupation,
            "kldb_code": e.kldb_code,
            "isco_code": e.isco_code,
            "years": str(e.years).replace(".", ","),
            "country": e.country.code,
        }
        for e in profile.experiences.all()
    ]
    qualifications = [
        {
            "id": q.pk,
            "kind": q.kind,
            "title": q.title,
            "country": q.country.code,
            "year": str(q.year),
            "document_available": "on" if q.document_available else "",
            "recognition": q.recognition,
        }
        for q in profile.qualifications.all()
    ]
    return profile, experiences, qualifications


def test_rows_are_changed_and_removed(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = _case(demo)
    profile, experiences, qualifications = _existing_rows(case)
    experiences[0]["years"] = "7"
    qualifications[0]["DELETE"] = "on"
    data = _data(profile.version, PROFILE, experiences, qualifications, initial=(1, 1))
    response = login("cm_a").post(_url(case), data)
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.experiences.get().years == Decimal("7")
    assert not profile.qualifications.exists()
    assert AuditEvent.objects.filter(action="delete", object_type="cases.qualification").exists()
    assert AuditEvent.objects.filter(action="update", object_type="cases.workexperience").exists()
    assert CaseEvent.objects.filter(case=case, kind="profile").latest("id").details == {
        "experiences": 1,
        "qualifications": 0,
        "wished_occupations": 1,  # the demo profile's, untouched
    }


def test_an_outdated_page_is_a_conflict_and_saves_nothing(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    profile, experiences, qualifications = _existing_rows(case)
    loaded = profile.version
    # Someone else adds a qualification meanwhile (only a row changes: still a new version).
    other = _data(loaded, PROFILE, experiences, [*qualifications, QUALIFICATION], initial=(1, 1))
    assert login("team_lead").post(_url(case), other).status_code == 302
    before = _snapshot()
    stale = _data(
        loaded, {**PROFILE, "wishes": "Meine Änderung"}, experiences, qualifications, initial=(1, 1)
    )
    response = login("cm_a").post(_url(case), stale)
    assert response.status_code == 400
    assert response.context["form"].conflict
    assert (
        "Reload the current version" in response.content.decode() or "aktuellen" in response.content.decode()
    )
    assert _snapshot() == before
    assert Profile.objects.get(case=case).wishes != "Meine Änderung"


def test_two_first_saves_cannot_overwrite_each_other(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _new_case(demo)
    assert login("cm_a").post(_url(case), _data()).status_code == 302
    response = login("team_lead").post(_url(case), _data(profile={**PROFILE, "wishes": "andere"}))
    assert response.status_code == 400 and response.context["form"].conflict
    assert Profile.objects.get(case=case).wishes == PROFILE["wishes"]


def test_a_row_of_another_profile_cannot_be_changed(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    foreign_row = WorkExperience.objects.get(profile__case=_case(demo))
    case = _new_case(demo)
    client = login("cm_a")
    assert client.post(_url(case), _data(experiences=[], qualifications=[])).status_code == 302
    data = _data(2, experiences=[{**EXPERIENCE, "id": foreign_row.pk}], qualifications=[], initial=(1, 0))
    response = client.post(_url(case), data)
    assert response.status_code == 400  # the formset only knows this profile's rows
    assert response.context["experiences"].non_form_errors()
    foreign_row.refresh_from_db()
    assert foreign_row.occupation == "Elektriker" and foreign_row.profile.case == _case(demo)


def test_saving_without_changes_records_nothing(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = _case(demo)
    profile, experiences, qualifications = _existing_rows(case)
    current = {
        name: getattr(profile, name) for name in PROFILE if getattr(profile, name) not in (None, False)
    }
    data = _data(
        profile.version,
        {
            **current,
            "public_transport": "on",
            "bicycle": "on",
            "driving_licence_in_progress": "on",
            "shifts_possible": "on",
        },
        experiences,
        qualifications,
        (1, 1),
    )
    data = {k: v for k, v in data.items() if v is not True}
    before = _snapshot()
    assert login("cm_a").post(_url(case), data).status_code == 302
    assert _snapshot() == before
    assert Profile.objects.get(case=case).version == profile.version


def test_reading_the_edit_page_is_audited(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = _case(demo)
    profile = Profile.objects.get(case=case)
    login("cm_a").get(_url(case))
    assert AuditEvent.objects.filter(
        action="read", object_type="cases.profile", object_id=str(profile.pk)
    ).exists()


def test_case_page_queries_do_not_grow_with_rows(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., Any]
) -> None:
    case = _case(demo)
    profile = Profile.objects.get(case=case)
    client = login("cm_a")
    counts = []
    for batch in (2, 25):
        WorkExperience.objects.bulk_create(
            WorkExperience(profile=profile, occupation="x") for _ in range(batch)
        )
        Qualification.objects.bulk_create(
            Qualification(profile=profile, kind="other", title="y") for _ in range(batch)
        )
        with count_queries() as ctx:
            assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
        counts.append(ctx.count)
    assert counts[0] == counts[1]


def test_the_profile_of_a_closed_case_stays_as_it_was(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _new_case(demo)
    Case.objects.filter(pk=case.pk).update(status="closed", closed_on=case.opened_on)
    before = _snapshot()
    response = login("cm_a").post(_url(case), _data())
    assert response.status_code == 400 and response.context["form"].non_field_errors()
    assert _snapshot() == before


WISHED = {"kldb_code": "29302"}  # Köche/Köchinnen – Fachkraft (in the demo catalogue)


def test_wished_occupations_and_working_hours_are_saved_and_feed_matching(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    from bruecke.cases.models import WishedOccupation
    from bruecke.placement.models import MatchProfile

    case = _new_case(demo)
    profile_data = {**PROFILE, "max_hours_per_week": "25", "childcare_limits": "school_hours"}
    response = login("cm_a").post(_url(case), _data(profile=profile_data, wished=[WISHED]))
    assert response.status_code == 302, response.context and response.context["wished"].errors
    profile = Profile.objects.get(case=case)
    assert (profile.max_hours_per_week, profile.shifts_possible, profile.childcare_limits) == (
        25,
        False,  # not ticked
        "school_hours",
    )
    wished = WishedOccupation.objects.get(profile=profile)
    assert (wished.kldb_code, wished.title) == ("29302", "Köche/Köchinnen (ohne Spezialisierung) – Fachkraft")
    # The match profile follows in the same save.
    match = MatchProfile.objects.get(case=case)
    assert (match.wish_1, match.max_hours_per_week, match.shifts_possible, match.childcare_limits) == (
        "29302",
        25,
        False,
        "school_hours",
    )
    assert AuditEvent.objects.filter(action="create", object_type="cases.wishedoccupation").exists()
    page = login("cm_a").get(reverse("cases:detail", args=[case.pk]) + "?section=profile").content.decode()
    assert "Köche/Köchinnen" in page and "25" in page
    timeline = login("cm_a").get(reverse("cases:timeline", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="de")
    assert "1 Berufswunsch" in timeline.content.decode()  # the count only, never the codes


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("99999", "nicht im Berufekatalog"),  # 5 digits, but no such occupation
        ("2930", "genau 5 Ziffern"),
        ("29a02", "genau 5 Ziffern"),
    ],
)
def test_a_wished_occupation_must_be_in_the_catalogue(
    login: Callable[[str], Client], demo: DemoNetwork, value: str, message: str
) -> None:
    from bruecke.cases.models import WishedOccupation

    case = _new_case(demo)
    before = (_snapshot(), WishedOccupation.objects.count())
    response = login("cm_a").post(_url(case), _data(wished=[{"kldb_code": value}]), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    row = response.context["wished"].forms[0]
    assert "kldb_code" in row.errors
    content = response.content.decode()
    assert f'id="{row["kldb_code"].auto_id}-errors"' in content and message in content
    assert (_snapshot(), WishedOccupation.objects.count()) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("max_hours_per_week", "0"), ("max_hours_per_week", "61"), ("childcare_limits", "nights")],
)
def test_bad_working_hours_are_refused(
    login: Callable[[str], Client], demo: DemoNetwork, field: str, value: str
) -> None:
    case = _new_case(demo)
    before = _snapshot()
    response = login("cm_a").post(_url(case), _data(profile={**PROFILE, field: value}))
    assert response.status_code == 400 and field in response.context["form"].errors
    assert _snapshot() == before


def test_the_service_refuses_an_unknown_wished_occupation(demo: DemoNetwork) -> None:
    from django.core.exceptions import ValidationError

    from bruecke.cases.services.profile import RowChange, profile_save

    case = _new_case(demo)
    before = _snapshot()
    with pytest.raises(ValidationError):
        profile_save(
            actor=demo.users["cm_a"],
            case=case,
            data={"strengths": "x"},
            wished_occupations=[RowChange(pk=None, data={"kldb_code": "99999"})],
            expected_version=1,
        )
    assert _snapshot() == before


def test_the_placement_officer_edits_the_profile_of_his_own_case(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _new_case(demo)
    case.placement_officer = demo.users["po_a"]
    case.save(update_fields=["placement_officer"])
    response = login("po_a").post(_url(case), _data(wished=[WISHED]))
    assert response.status_code == 302
    assert Profile.objects.get(case=case).updated_by == demo.users["po_a"]
    # Others of the partner's team and other partners stay out.
    case.placement_officer = None
    case.save(update_fields=["placement_officer"])
    for key in ("po_a", "cm_b", "ruppin.admin"):
        assert login(key).post(_url(case), _data(version=2)).status_code == 404
