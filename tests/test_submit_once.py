"""A create form saves once per rendering: a repeated POST creates nothing new (issue 10, item 5).

The create pages are enumerated from the persona × URL matrix (any page rendering a form for
a new record, or a form that carries a submission token). Each must render the one-time
token, and posting the same rendered form twice must create exactly one record and send
both answers to the same place.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseStatus
from bruecke.core.models import AuditAction, AuditEvent, SubmissionToken
from bruecke.core.submission import TOKEN_FIELD, purge_submission_tokens, save_once
from bruecke.esf.exit_models import FollowUpAnswer
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Role
from bruecke.offers.demo.network_work import DEMO_HANDOUT
from bruecke.offers.models import Enrolment, Measure
from tests import (
    test_breaches,
    test_cases,
    test_consent,
    test_documents,
    test_exit,
    test_mobile_caseload,
    test_network_input,
    test_participants,
    test_transfer,
)
from tests.access_expectations import mohammed
from tests.form_pages import FormPage, context_values, get_page_names, open_page

Fill = Callable[[DemoNetwork, FormPage], dict[str, Any]]


def _case_of(page: FormPage) -> Any:
    return next(f.instance.case for f in page.context_forms if isinstance(f, forms.BaseModelForm))


def _transfer(demo: DemoNetwork, page: FormPage) -> dict[str, Any]:
    if not mohammed(demo).consents.filter(purpose="transfer").exists():
        test_transfer._consent(demo, demo.partners["B"])
    return {
        "to_organisation": demo.partners["B"].pk,
        "to_team": demo.teams["Greifswald"].pk,
        "reason": "Umzug",
    }


def _open(demo: DemoNetwork, page: FormPage) -> dict[str, Any]:
    """The matrix's participant has an open case here: it ends so that another may open."""
    participant = next(
        f.instance.participant for f in page.context_forms if isinstance(f, forms.BaseModelForm)
    )
    Case.objects.filter(participant=participant).update(status=CaseStatus.CLOSED)
    return {}


def _enrol(demo: DemoNetwork) -> dict[str, Any]:
    """The matrix's participant is enrolled in the demo training: the enrolment goes so that
    the form can enrol them again."""
    Enrolment.objects.filter(participant=mohammed(demo)).delete()
    case = Case.objects.get(participant=mohammed(demo))
    return {"case": case.pk, "enrolled_on": _today()}


def _mobile(demo: DemoNetwork, page: FormPage) -> dict[str, Any]:
    data = test_mobile_caseload._hour(demo, test_mobile_caseload._anonymous_row(0))
    return {k: v for k, v in data.items() if not k.startswith("row-") or k.startswith("row-0-")}


def _office(demo: DemoNetwork, page: FormPage) -> dict[str, Any]:
    return {
        "organisation": demo.partners["A"].pk,
        "name": "Büro Güstrow",
        "street": "Markt 1",
        "postcode": "18273",
        "town": "Güstrow",
        "latitude": "53.79",
        "longitude": "12.17",
    }


def _today() -> str:
    return datetime.date.today().strftime("%d.%m.%Y")


def _proposal(demo: DemoNetwork, page: FormPage) -> dict[str, Any]:
    """A participant and an opportunity the page offers that are not paired yet (the same
    pair for the repeated POST of this rendering)."""
    from bruecke.placement.models import Application

    chosen = getattr(page, "_proposal", None)
    if chosen is None:
        form = next(f for f in page.context_forms if "opportunity" in f.fields and "case" in f.fields)
        pairs = (
            (case, opportunity)
            for case in form.fields["case"].queryset  # type: ignore[attr-defined]
            for opportunity in form.fields["opportunity"].queryset  # type: ignore[attr-defined]
        )
        case, opportunity = next(
            (c, o) for c, o in pairs if not Application.objects.filter(case=c, opportunity=o).exists()
        )
        chosen = {"case": case.pk, "opportunity": opportunity.pk}
        page._proposal = chosen  # type: ignore[attr-defined]
    return chosen


# What a user fills in on each create page (the rest is what the page renders).
FILLS: dict[str, Fill] = {
    "cases:assessment_create": lambda demo, page: {"severity_german": "1", "note_german": "B1 bestanden"},
    "cases:case_task_create": lambda demo, page: {"title": "Anerkennungsstelle anrufen"},
    "cases:close": lambda demo, page: test_exit._exit(_case_of(page)),
    "cases:detail": lambda demo, page: test_cases._contact(),
    "cases:document_create": lambda demo, page: test_documents._form(),
    "cases:follow_up_create": lambda demo, page: {"employed": FollowUpAnswer.NO, "note": "Sucht weiter."},
    "cases:mobile_record": _mobile,
    "cases:open": _open,
    "cases:task_create": lambda demo, page: {"title": "Anerkennungsstelle anrufen"},
    "cases:transfer_request": _transfer,
    "network:hour_create": lambda demo, page: test_network_input._hour_data(demo),
    "network:membership_create": lambda demo, page: {
        "organisation": demo.partners["A"].pk,
        "team": demo.teams["Schwerin"].pk,
        "role": Role.PLACEMENT_OFFICER,
    },
    "network:office_create": _office,
    "network:organisation_create": lambda demo, page: {"name": "Neue Wege e. V.", "town": "Wismar"},
    "network:site_create": lambda demo, page: test_network_input._site_data(demo),
    "network:staff_create": lambda demo, page: test_network_input._staff_data(demo),
    "network:team_create": lambda demo, page: {
        "name": "Güstrow",
        "region": "Landkreis Rostock",
        "office": demo.teams["Rostock"].office_id,
    },
    "offers:event_create": lambda demo, page: {
        "title": "Infoabend",
        "kind": "information",
        "held_on": _today(),
        "audience": "20",
    },
    "offers:measure_create": lambda demo, page: {
        "provider": page.context_forms[0].fields["provider"].queryset.first().pk,  # type: ignore[attr-defined]
        "kind": "qualification",
        "title": "Staplerschein",
    },
    "offers:measure_start_create": lambda demo, page: {"starts_on": "01.06.2030"},
    "offers:partner_contact_create": lambda demo, page: {"name": "Ole Jensen"},
    "offers:partner_create": lambda demo, page: {"kind": "company", "name": "Werft Warnemünde"},
    "offers:partner_meeting_create": lambda demo, page: {
        "held_on": _today(),
        "kind": "meeting",
        "subject": "Jahresgespräch",
    },
    "offers:provider_create": lambda demo, page: {
        "kind": "other",
        "name": "Bildungswerk Warnow",
        "town": "Rostock",
    },
    "offers:training_create": lambda demo, page: {
        "topic": "Aufenthaltsrecht",
        "held_on": _today(),
        "audience-0-kind": "jobcenter",
        "audience-0-attendees": "4",
    },
    "offers:training_material_upload": lambda demo, page: {
        "title": "Handout",
        "upload": SimpleUploadedFile("handout.pdf", DEMO_HANDOUT, content_type="application/pdf"),
    },
    "offers:enrol": lambda demo, page: _enrol(demo),
    "offers:group_create": lambda demo, page: {
        "title": "Jobcafé",
        "kind": "job_orientation",
        "starts_on": _today(),
    },
    "offers:session_create": lambda demo, page: {"date": _today(), "starts_at": "10:00", "ends_at": "12:00"},
    # The matrix's case is an adult's: school above school age needs its reason.
    "offers:school_create": lambda demo, page: {
        "status": "not_enrolled",
        "status_on": _today(),
        "above_age_reason": "Berufsschule während der Ausbildung",
    },
    "offers:referral_create": lambda demo, page: {
        "measure": Measure.objects.filter(organisation=demo.partners["A"], provider__partner__isnull=True)
        .order_by("pk")
        .first()
        .pk  # type: ignore[union-attr]
    },
    "participants:consent_create": lambda demo, page: test_consent._consent_data(demo),
    "participants:create": lambda demo, page: test_participants._intake(demo),
    "participants:residence_create": lambda demo, page: {
        "status": "gestattung",
        "issued_on": (datetime.date.today() - datetime.timedelta(days=30)).strftime("%d.%m.%Y"),
        "asylum_applied_on": (datetime.date.today() - datetime.timedelta(days=60)).strftime("%d.%m.%Y"),
    },
    "offers:language_create": lambda demo, page: {
        "level": "B2",
        "basis": "estimate",
        "assessed_on": _today(),
    },
    "offers:recognition_create": lambda demo, page: {
        "qualification": "Diplom Elektrotechnik",
        "country": "UA",
        "authority": "IHK FOSA",
    },
    "placement:application_create": _proposal,
    "placement:employer_activity_create": lambda demo, page: {"kind": "phone", "date": _today()},
    "placement:employer_contact_create": lambda demo, page: {"name": "Petra Lange", "function": "Personal"},
    "placement:employer_create": lambda demo, page: {"name": "Bäckerei Möller", "sector": "C"},
    "placement:placement_create": lambda demo, page: {"kind": "school", "start_date": _today()},
    "placement:site_create": lambda demo, page: {
        "name": "Werk Süd",
        "street": "Hafenstraße 3",
        "postcode": "18055",
        "town": "Rostock",
        "latitude": "54.08",
        "longitude": "12.13",
    },
    "privacy:breach_create": lambda demo, page: test_breaches._data(),
    "reporting:target_create": lambda demo, page: {
        "label": "Betriebsbesuche",
        "kind": "custom",
        "value": "25",
    },
    "reporting:target_progress": lambda demo, page: {"date": _today(), "value": "1"},
}

# Pages with a form for a new record that do not need a token, and why.
NOT_CREATE_PAGES = {
    # Creates the questionnaire or updates it: the version lock (0 = none yet) already
    # refuses the second save, see tests/test_edit_locking.py.
    "esf:entry": "version lock",
}


def _is_create_page(page: FormPage) -> bool:
    for form in page.context_forms:
        if isinstance(form, forms.BaseModelForm) and form.instance.pk is not None:
            continue  # an edit form: locked by its version, see tests/test_edit_locking.py
        if (isinstance(form, forms.BaseModelForm) and not form.prefix) or TOKEN_FIELD in form.fields:
            return True
    return False


def test_the_create_pages_are_known(demo: DemoNetwork, persona: Callable[[str], User]) -> None:
    found = {
        name
        for name in get_page_names()
        if name not in NOT_CREATE_PAGES and _is_create_page(open_page(name, demo, persona))
    }
    assert found == set(FILLS)


def _errors(response: Any) -> list[Any]:
    values = context_values(response) if response.context else []
    return [v.errors for v in values if isinstance(v, forms.BaseForm) and v.errors]


def _creates() -> int:
    return AuditEvent.objects.filter(action=AuditAction.CREATE).count()


@pytest.mark.parametrize("url_name", sorted(FILLS))
def test_a_repeated_post_creates_nothing_new(
    url_name: str, demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    page = open_page(url_name, demo, persona)
    html_form = next((f for f in page.html_forms if TOKEN_FIELD in f.names()), None)
    assert html_form is not None, f"{url_name}: the create form carries no submission token"
    assert [name for name, _ in html_form.data if name.endswith(TOKEN_FIELD)] == [TOKEN_FIELD]  # one per page
    # After "back" the browser shows a new rendering; the script puts the sent token back.
    assert 'src="/static/js/submit-once.js"' in page.client.get(page.url).content.decode(), url_name
    action = html_form.action or page.url
    model = next(
        (type(f.instance) for f in page.context_forms if isinstance(f, forms.BaseModelForm) and not f.prefix),
        None,
    )
    rows = model._default_manager.count() if model else 0
    before = _creates()

    first = page.client.post(action, html_form.as_post(**FILLS[url_name](demo, page)))
    assert first.status_code == 302, (url_name, first.status_code, _errors(first))
    created = _creates()
    assert created > before
    if model:
        assert model._default_manager.count() == rows + 1

    again = page.client.post(action, html_form.as_post(**FILLS[url_name](demo, page)))
    assert again.status_code == 302
    assert again["Location"] == first["Location"]
    assert _creates() == created
    if model:
        assert model._default_manager.count() == rows + 1


def test_a_failed_save_keeps_the_token_usable(login: Callable[[str], Any], demo: DemoNetwork) -> None:
    """Errors roll the token back with the record: the corrected form saves."""
    client = login("cm_a")
    url = reverse("cases:task_create")
    data = {"title": "", "due_on": "01.01.2030", "assignee": demo.users["cm_a"].pk, TOKEN_FIELD: "t" * 32}
    assert client.post(url, data).status_code == 400
    assert not SubmissionToken.objects.exists()
    assert client.post(url, {**data, "title": "Anrufen"}).status_code == 302
    assert SubmissionToken.objects.count() == 1


def test_a_token_is_the_users_own(login: Callable[[str], Any], demo: DemoNetwork) -> None:
    """The same token from another user is another submission (and reveals nothing)."""
    data = {"title": "Anrufen", "due_on": "01.01.2030", TOKEN_FIELD: "s" * 32}
    url = reverse("cases:task_create")
    first = login("cm_a").post(url, {**data, "assignee": demo.users["cm_a"].pk})
    other = login("team_lead").post(url, {**data, "assignee": demo.users["team_lead"].pk})
    assert first.status_code == other.status_code == 302
    assert SubmissionToken.objects.count() == 2


def test_old_tokens_are_purged(login: Callable[[str], Any], demo: DemoNetwork) -> None:
    data = {
        "title": "Anrufen",
        "due_on": "01.01.2030",
        "assignee": demo.users["cm_a"].pk,
        TOKEN_FIELD: "u" * 32,
    }
    login("cm_a").post(reverse("cases:task_create"), data)
    assert purge_submission_tokens() == 0
    assert purge_submission_tokens(timezone.now() + datetime.timedelta(days=3)) == 1


def test_a_save_clears_the_users_expired_tokens(login: Callable[[str], Any], demo: DemoNetwork) -> None:
    anna = demo.users["cm_a"]
    old = SubmissionToken.objects.create(user=anna, token="o" * 32, redirect_to="/")
    SubmissionToken.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
    data = {"title": "Anrufen", "due_on": "01.01.2030", "assignee": anna.pk, TOKEN_FIELD: "n" * 32}
    login("cm_a").post(reverse("cases:task_create"), data)
    assert list(SubmissionToken.objects.values_list("token", flat=True)) == ["n" * 32]


def test_a_concurrent_duplicate_meets_the_first_at_the_unique_token(demo: DemoNetwork) -> None:
    """The repeat that passed the early check while the first was still saving: its token
    insert fails on the unique index, nothing of it is saved, and it goes where the first went."""
    anna = demo.users["cm_a"]
    SubmissionToken.objects.create(user=anna, token="c" * 32, redirect_to="/cases/tasks/")
    request = RequestFactory().post("/cases/tasks/new/", {TOKEN_FIELD: "c" * 32})
    request.user = anna

    def save() -> object:
        raise AssertionError("the duplicate must not be saved")

    assert save_once(request, save, lambda saved: "/elsewhere/") == "/cases/tasks/"
    assert SubmissionToken.objects.count() == 1
