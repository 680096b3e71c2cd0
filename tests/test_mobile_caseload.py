"""Mobile consultation hour screen (case and anonymous short contacts) and caseload view."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from bruecke.accounts.models import User
from bruecke.cases.models import (
    AnonymousContact,
    Case,
    CaseEvent,
    CaseStatus,
    Channel,
    Contact,
    ContactTopic,
    EventKind,
)
from bruecke.cases.selectors.mobile import anonymous_contact_figures
from bruecke.cases.services import mobile as services
from bruecke.core.models import AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Membership, MobileSite, Role
from bruecke.participants.models import Gender, Participant
from tests.expectations_cases import _case

TODAY = datetime.date.today()
URL = "/cases/mobile/"


def _wismar(demo: DemoNetwork) -> MobileSite:
    return MobileSite.objects.get(network=demo.network, name="Rathaus Wismar")


def _topic(key: str) -> int:
    return ContactTopic.objects.get(key=key).pk


def _row(index: int, **values: Any) -> dict[str, Any]:
    return {f"row-{index}-{name}": value for name, value in values.items()}


def _hour(demo: DemoNetwork, *rows: dict[str, Any], total: int = 5, **header: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "site": _wismar(demo).pk,
        "date": TODAY.strftime("%d.%m.%Y"),
        "row-TOTAL_FORMS": str(total),
        "row-INITIAL_FORMS": "0",
        "row-MIN_NUM_FORMS": "0",
        "row-MAX_NUM_FORMS": "30",
        **header,
    }
    for row in rows:
        data |= row
    return data


def _case_row(demo: DemoNetwork, index: int = 0, **overrides: Any) -> dict[str, Any]:
    values = {
        "case": _case(demo).pk,
        "duration_minutes": "20",
        "topics": [_topic("job_search")],
        "note": "Bewerbung bei der Werft besprochen.",
        **overrides,
    }
    return _row(index, **values)


def _anonymous_row(index: int = 1, **overrides: Any) -> dict[str, Any]:
    values = {
        "anonymous": "on",
        "duration_minutes": "10",
        "topics": [_topic("housing")],
        "language": "ar",
        "gender": "female",
        "age_group": "18_29",
        **overrides,
    }
    return _row(index, **values)


def _counts() -> tuple[int, int, int, int]:
    return (
        Contact.objects.count(),
        AnonymousContact.objects.count(),
        CaseEvent.objects.count(),
        AuditEvent.objects.count(),
    )


# --- the mobile consultation hour screen ---


def test_one_save_records_case_and_anonymous_contacts(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case, site = _case(demo), _wismar(demo)
    response = login("cm_a").post(URL, _hour(demo, _case_row(demo), _anonymous_row()))
    assert response.status_code == 302
    contact = case.contacts.order_by("-id").first()
    assert contact is not None
    assert (contact.channel, contact.site, contact.date, contact.duration_minutes) == (
        Channel.MOBILE,
        site,
        TODAY,
        20,
    )
    assert [t.key for t in contact.topics.all()] == ["job_search"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM cases_contact WHERE id = %s", [contact.pk])
        assert "Werft" not in cursor.fetchone()[0]
    event = case.events.filter(kind=EventKind.CONTACT).order_by("-id").first()
    assert event is not None and event.object_id == str(contact.pk)
    assert event.details == {"channel": "mobile", "minutes": 20}
    anonymous = AnonymousContact.objects.order_by("-id").first()
    assert anonymous is not None
    assert (anonymous.organisation, anonymous.team, anonymous.site, anonymous.language) == (
        demo.partners["A"],
        demo.teams["Rostock"],
        site,
        "ar",
    )
    assert (anonymous.gender, anonymous.age_group, anonymous.recorded_by) == (
        "female",
        "18_29",
        demo.users["cm_a"],
    )
    assert [t.key for t in anonymous.topics.all()] == ["housing"]
    assert AuditEvent.objects.filter(
        action="create", object_type="cases.anonymouscontact", object_id=str(anonymous.pk)
    ).exists()
    # The names never travel in the URL; the redirect keeps only the site.
    assert response["Location"] == f"{URL}?site={site.pk}"


def test_summary_counts_anonymous_contacts_per_site_and_month(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    client = login("cm_a")

    def wismar_this_month(user_client: Client) -> int:
        summary = user_client.get(URL).context["summary"]
        month = TODAY.replace(day=1)
        return sum(
            line["contacts"]
            for line in summary
            if line["site__name"] == "Rathaus Wismar" and line["month"] == month
        )

    before = wismar_this_month(client)
    rows = [_anonymous_row(0), _anonymous_row(1, language="fa", gender="", age_group="")]
    assert client.post(URL, _hour(demo, *rows)).status_code == 302
    assert wismar_this_month(client) == before + 2
    assert wismar_this_month(login("team_lead")) == before + 2
    # Partner B counts its own short contacts only.
    assert wismar_this_month(login("cm_b")) == 0
    page = client.get(URL).content.decode()
    assert "Anonyme Kurzkontakte" in page or "Anonymous short contacts" in page


def test_demo_anonymous_contacts_show_in_the_summary(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    summary = login("cm_a").get(URL).context["summary"]
    assert sum(line["contacts"] for line in summary if line["site__name"] == "Rathaus Bad Doberan") >= 3


@pytest.mark.parametrize(
    ("rows", "header", "form", "field"),
    [
        # A row with a duration but neither a case nor the anonymous marker.
        ([_row(0, duration_minutes="15")], {}, 0, "case"),
        ([{"case_row": {"duration_minutes": "0"}}], {}, 0, "duration_minutes"),
        ([{"case_row": {"duration_minutes": "601"}}], {}, 0, "duration_minutes"),
        ([{"case_row": {"duration_minutes": "-5"}}], {}, 0, "duration_minutes"),
        ([{"case_row": {"duration_minutes": "zwanzig"}}], {}, 0, "duration_minutes"),
        ([{"case_row": {"duration_minutes": ""}}], {}, 0, "duration_minutes"),
        ([{"case_row": {"note": "a\x00b"}}], {}, 0, "note"),
        ([{"case_row": {"note": "x" * 5001}}], {}, 0, "note"),
        ([{"case_row": {"gender": "male"}}], {}, 0, "gender"),
        ([{"case_row": {"interpreter": "person", "language": ""}}], {}, 0, "language"),
        ([{"case_row": {"topics": [999999]}}], {}, 0, "topics"),
        ([{"case_row": {"case": "999999"}}], {}, 0, "case"),
        ([{"case_row": {"anonymous": "on"}}], {}, 0, "anonymous"),
        ([{"anonymous_row": {"note": "Herr K. aus Syrien"}}], {}, 1, "note"),
        ([{"anonymous_row": {"language": ""}}], {}, 1, "language"),
        ([{"anonymous_row": {"gender": "x"}}], {}, 1, "gender"),
        ([{"anonymous_row": {"age_group": "99"}}], {}, 1, "age_group"),
        ([{"anonymous_row": {"interpreter": "person"}}], {}, 1, "interpreter"),
        ([], {"date": (TODAY + datetime.timedelta(days=1)).strftime("%d.%m.%Y")}, None, "date"),
        ([], {"date": "31.02.2026"}, None, "date"),
        ([], {"site": "999999"}, None, "site"),
        # A date before the demo case was opened is refused at that case's row.
        ([], {"date": "01.01.2000"}, 0, "case"),
    ],
)
def test_a_bad_row_saves_nothing_of_the_other_rows(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    rows: list[dict[str, Any]],
    header: dict[str, Any],
    form: int | None,
    field: str,
) -> None:
    built: list[dict[str, Any]] = []
    case_overrides: dict[str, Any] = {}
    anonymous_overrides: dict[str, Any] = {}
    for row in rows:
        if "case_row" in row:
            case_overrides = row["case_row"]
        elif "anonymous_row" in row:
            anonymous_overrides = row["anonymous_row"]
        else:
            built.append(row)
    if not built:
        # Always a valid partner row next to the bad one: it must not be saved either.
        built = [_case_row(demo, 0, **case_overrides), _anonymous_row(1, **anonymous_overrides)]
    before = _counts()
    response = login("cm_a").post(URL, _hour(demo, *built, **header))
    assert response.status_code == 400
    if form is None:
        assert field in response.context["header"].errors
    else:
        errors = response.context["formset"].forms[form].errors
        assert field in errors, errors
    assert _counts() == before


def test_site_of_another_network_is_refused(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    foreign = MobileSite.objects.filter(network=demo.second_network).first()
    assert foreign is not None
    before = _counts()
    response = login("cm_a").post(URL, _hour(demo, _anonymous_row(0), site=foreign.pk))
    assert response.status_code == 400 and "site" in response.context["header"].errors
    assert _counts() == before


def _participant(demo: DemoNetwork, partner: str, team: str, name: str) -> Participant:
    return Participant.objects.create(
        organisation=demo.partners[partner],
        team=demo.teams[team],
        given_names="Test",
        family_name=name,
        birth_year=1990,
        gender=Gender.FEMALE,
        nationality="SY",
        entry_date=TODAY - datetime.timedelta(days=400),
    )


def _open_case(demo: DemoNetwork, manager: str, partner: str, team: str, name: str, days: int = 100) -> Case:
    return Case.objects.create(
        organisation=demo.partners[partner],
        participant=_participant(demo, partner, team, name),
        team=demo.teams[team],
        case_manager=demo.users[manager],
        opened_on=TODAY - datetime.timedelta(days=days),
    )


@pytest.mark.parametrize(
    ("partner", "team", "manager"), [("B", "Greifswald", "cm_b"), ("A", "Schwerin", "cm_a")]
)
def test_case_outside_scope_is_not_a_choice(
    login: Callable[[str], Client], demo: DemoNetwork, partner: str, team: str, manager: str
) -> None:
    foreign = _open_case(demo, manager, partner, team, "Fremdfall")
    client = login("cm_a")
    page = client.get(URL).content.decode()
    assert "Fremdfall" not in page
    before = _counts()
    response = client.post(URL, _hour(demo, _case_row(demo, 0, case=foreign.pk)))
    assert response.status_code == 400 and "case" in response.context["formset"].forms[0].errors
    assert _counts() == before


def test_closed_cases_are_not_offered(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    closed = _open_case(demo, "cm_a", "A", "Rostock", "Geschlossen")
    Case.objects.filter(pk=closed.pk).update(status=CaseStatus.CLOSED, closed_on=TODAY)
    assert "Geschlossen" not in login("cm_a").get(URL).content.decode()


def test_the_service_refuses_all_rows_when_one_is_bad(demo: DemoNetwork) -> None:
    before = _counts()
    rows: list[services.Row] = [
        services.CaseRow(case=_case(demo), duration_minutes=30),
        services.AnonymousRow(duration_minutes=0, language="ar"),
    ]
    with pytest.raises(services.RowErrors) as raised:
        services.mobile_hour_record(actor=demo.users["cm_a"], site=_wismar(demo), date=TODAY, rows=rows)
    assert list(raised.value.rows) == [1]
    assert _counts() == before


def test_the_service_refuses_a_case_outside_the_actors_scope(demo: DemoNetwork) -> None:
    foreign = _open_case(demo, "cm_b", "B", "Greifswald", "Fremdfall")
    before = _counts()
    rows: list[services.Row] = [
        services.AnonymousRow(duration_minutes=10, language="ar"),
        services.CaseRow(case=foreign, duration_minutes=30),
    ]
    with pytest.raises(services.RowErrors) as raised:
        services.mobile_hour_record(actor=demo.users["cm_a"], site=_wismar(demo), date=TODAY, rows=rows)
    assert list(raised.value.rows) == [1]
    assert _counts() == before


def test_the_service_refuses_a_user_who_may_not_record(demo: DemoNetwork) -> None:
    rows = [services.AnonymousRow(duration_minutes=10, language="ar")]
    with pytest.raises(services.RowErrors) as raised:
        services.mobile_hour_record(actor=demo.users["po_a"], site=_wismar(demo), date=TODAY, rows=rows)
    assert raised.value.header is not None


def test_empty_form_asks_for_one_row(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    response = login("cm_a").post(URL, _hour(demo))
    assert response.status_code == 400
    assert response.context["formset"].non_form_errors()


@pytest.mark.parametrize(("rows", "expected"), [("", 5), ("10", 10), ("abc", 5), ("999", 30), ("-3", 1)])
def test_more_rows_through_the_query(login: Callable[[str], Client], rows: str, expected: int) -> None:
    response = login("cm_a").get(URL, {"rows": rows} if rows else {})
    assert len(response.context["formset"].forms) == expected


def test_site_parameter_preselects_the_site(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    site = _wismar(demo)
    response = login("cm_a").get(URL, {"site": site.pk})
    assert f'<option value="{site.pk}" selected>' in response.content.decode()
    assert login("cm_a").get(URL, {"site": "x<script>"}).status_code == 200


def test_entry_points(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    site = _wismar(demo)
    link = f"{URL}?site={site.pk}"
    assert link in login("cm_a").get(reverse("network:network_page")).content.decode()
    assert URL in login("cm_a").get(reverse("core:dashboard")).content.decode()
    assert URL not in login("po_a").get(reverse("core:dashboard")).content.decode()
    admin = login("admin")
    assert link not in admin.get(reverse("network:site_detail", args=[site.pk])).content.decode()
    # An administrator who also counsels gets the link on the site page.
    Membership.objects.create(
        user=demo.users["admin"],
        organisation=demo.partners["A"],
        team=demo.teams["Rostock"],
        role=Role.CASE_MANAGER,
    )
    assert link in admin.get(reverse("network:site_detail", args=[site.pk])).content.decode()


def _bulk_cases(demo: DemoNetwork, count: int, manager: str = "cm_a", days: int = 100) -> list[Case]:
    people = Participant.objects.bulk_create(
        Participant(
            organisation=demo.partners["A"],
            team=demo.teams["Rostock"],
            given_names=f"Viele{index}",
            family_name="Massentest",
            birth_year=1990,
            gender=Gender.MALE,
            nationality="SY",
            entry_date=TODAY - datetime.timedelta(days=400),
        )
        for index in range(count)
    )
    return Case.objects.bulk_create(
        Case(
            organisation=demo.partners["A"],
            participant=person,
            team=demo.teams["Rostock"],
            case_manager=demo.users[manager],
            opened_on=TODAY - datetime.timedelta(days=days),
        )
        for person in people
    )


def test_mobile_screen_query_count_does_not_grow(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., Any]
) -> None:
    client = login("cm_a")
    counts = []
    for batch in (2, 60):
        cases = _bulk_cases(demo, batch)
        AnonymousContact.objects.bulk_create(
            AnonymousContact(
                organisation=demo.partners["A"],
                team=demo.teams["Rostock"],
                site=_wismar(demo),
                date=TODAY,
                duration_minutes=5,
                language="ar",
                recorded_by=demo.users["cm_a"],
            )
            for _ in range(batch * 10)
        )
        with count_queries() as ctx:
            response = client.get(URL)
        assert (
            response.status_code == 200
            and str(cases[-1].participant.given_names) in response.content.decode()
        )
        counts.append(ctx.count)
    assert counts[0] == counts[1]


def test_figures_for_reporting(demo: DemoNetwork, persona: Callable[[str], User]) -> None:
    site = _wismar(demo)
    rows = [
        services.AnonymousRow(duration_minutes=10, language="ar"),
        services.AnonymousRow(duration_minutes=25, language="ar"),
        services.AnonymousRow(duration_minutes=5, language="uk"),
    ]
    services.mobile_hour_record(actor=demo.users["cm_b"], site=site, date=TODAY, rows=rows)
    figures = anonymous_contact_figures(
        persona("coordinator"), start=TODAY.replace(day=1), end=TODAY, by=["site", "organisation", "language"]
    )
    mine = {
        f["language"]: (f["contacts"], f["minutes"])
        for f in figures
        if f["site_id"] == site.pk and f["organisation_id"] == demo.partners["B"].pk
    }
    assert mine == {"ar": (2, 35), "uk": (1, 5)}
    # No aggregate permission, no figures; the other network sees none of these.
    assert anonymous_contact_figures(persona("cm_a"), start=TODAY, end=TODAY) == []
    assert anonymous_contact_figures(persona("ruppin.admin"), start=TODAY, end=TODAY) == []
    with pytest.raises(ValueError):
        anonymous_contact_figures(persona("coordinator"), start=TODAY, end=TODAY, by=["name"])


def test_html_in_a_note_is_shown_as_text(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("cm_a")
    note = "<script>alert(1)</script> Termin"
    assert client.post(URL, _hour(demo, _case_row(demo, 0, note=note))).status_code == 302
    page = client.get(reverse("cases:detail", args=[_case(demo).pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Termin" in page and note not in page


def test_more_rows_than_allowed_are_refused(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    before = _counts()
    response = login("cm_a").post(URL, _hour(demo, _anonymous_row(0), total=31))
    assert response.status_code == 400 and response.context["formset"].non_form_errors()
    assert _counts() == before


def test_more_rows_keeps_what_was_typed_and_saves_nothing(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    client = login("cm_a")
    typed = _hour(demo, _case_row(demo), _anonymous_row(), total=5)
    before = _counts()
    response = client.post(URL, {**typed, "add_rows": "1"})
    assert response.status_code == 200 and _counts() == before
    formset = response.context["formset"]
    assert len(formset.forms) == 10
    page = response.content.decode()
    assert "Bewerbung bei der Werft besprochen." in page
    assert f'<option value="{_case(demo).pk}" selected>' in page
    assert 'id="id_row-1-anonymous" checked>' in page
    assert f'<option value="{_wismar(demo).pk}" selected>' in page
    assert "errorlist" not in page and 'aria-invalid="true"' not in page
    # Saving from the longer screen: the rows typed before are saved; untouched rows stay out.
    saved = client.post(f"{URL}?rows=10", _hour(demo, _case_row(demo), _anonymous_row(), total=10))
    assert saved.status_code == 302
    assert _counts() != before
