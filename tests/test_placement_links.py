"""Links for employers (decision 0039): sending and revoking, the public form without an
account (signed, expiring, single-use, rate-limited, CSRF), drafts and publishing."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core import signing
from django.db import connection, connections
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from bruecke.accounts.models import User
from bruecke.core.models import AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from bruecke.placement.models import (
    Occupation,
    Opportunity,
    OpportunitySource,
    OpportunityStatus,
    SubmissionLink,
)
from bruecke.placement.services import links as services
from tests.placement_links_helpers import draft_of, employer_of, new_link

pytestmark = pytest.mark.django_db


def _form(**changes: Any) -> dict[str, Any]:
    data = {
        "title": "Küchenhilfe über den Link",
        "kind": "job",
        "internship_kind": "",
        "occupation_words": "Küchenhilfe, Spüler",
        "working_time": "part",
        "hours_per_week": "25",
        "start_date": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
        "places": "2",
        "german_level": "A2",
        "town": "Rostock",
        "description": "Frühschicht",
        "contact_name": "Petra Hansen",
        "contact_phone": "0381 123456",
        "contact_email": "",
    }
    data.update(changes)
    return data


def _url(token: str) -> str:
    return reverse("placement:link_submit", kwargs={"token": token})


# --- Sending -------------------------------------------------------------------------------


def test_placement_officer_creates_a_link_shown_once_and_only_its_hash_is_stored(
    demo: DemoNetwork, login: Callable[[str], Client]
) -> None:
    employer = employer_of(demo)
    client = login("po_a")
    response = client.post(reverse("placement:link_create", kwargs={"pk": employer.pk}), {"contact": ""})
    assert response.status_code == 200
    link = SubmissionLink.objects.get(employer=employer)
    url = response.context["url"]
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert url in response.content.decode()
    assert link.token_hash == services.token_hash(token) and token not in link.token_hash
    assert link.expires_at.date() == (timezone.now() + datetime.timedelta(days=14)).date()
    assert AuditEvent.objects.filter(object_type="placement.submissionlink", action="create").exists()
    # The employer panel lists it afterwards, without the address.
    page = client.get(reverse("placement:link_create", kwargs={"pk": employer.pk})).content.decode()
    assert token not in page and "gültig bis" in page


@override_settings(PLACEMENT_LINK_DAYS=3)
def test_link_days_setting(demo: DemoNetwork) -> None:
    link = new_link(demo).link
    assert (link.expires_at - timezone.now()).days == 2  # 3 days minus the seconds since


def test_case_manager_and_other_partner_cannot_send_links(
    demo: DemoNetwork, login: Callable[[str], Client]
) -> None:
    employer = employer_of(demo)
    for key in ("cm_a", "cm_b", "coordinator"):
        response = login(key).post(reverse("placement:link_create", kwargs={"pk": employer.pk}), {})
        assert response.status_code == 404, key
    assert not SubmissionLink.objects.filter(employer=employer).exists()


def test_contact_of_another_employer_is_refused(demo: DemoNetwork, login: Callable[[str], Client]) -> None:
    employer = employer_of(demo)
    other = employer_of(demo, "B").contacts.first()
    assert other is not None
    response = login("po_a").post(
        reverse("placement:link_create", kwargs={"pk": employer.pk}), {"contact": other.pk}
    )
    assert response.status_code == 400
    assert "contact" in response.context["form"].errors
    assert not SubmissionLink.objects.filter(employer=employer).exists()


def test_revoke(demo: DemoNetwork, login: Callable[[str], Client]) -> None:
    new = new_link(demo)
    assert login("cm_b").post(reverse("placement:link_revoke", kwargs={"pk": new.link.pk})).status_code == 404
    response = login("po_a").post(reverse("placement:link_revoke", kwargs={"pk": new.link.pk}))
    assert response.status_code == 302
    assert Client().get(_url(new.token)).status_code == 404
    assert login("po_a").get(reverse("placement:link_revoke", kwargs={"pk": new.link.pk})).status_code == 405


def test_panel_renders_with_only_employer_and_request(
    demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    new = new_link(demo)
    request = RequestFactory().get("/")
    request.user = persona("po_a")
    html = render_to_string(
        "placement/links/employer_panel.html", {"employer": new.link.employer}, request=request
    )
    assert reverse("placement:link_revoke", kwargs={"pk": new.link.pk}) in html
    assert "Petra Hansen" in html
    request.user = persona("cm_a")  # reads the employer, may not send links
    assert (
        render_to_string(
            "placement/links/employer_panel.html", {"employer": new.link.employer}, request=request
        ).strip()
        == ""
    )


# --- The public form -----------------------------------------------------------------------


def test_employer_submits_a_draft_without_an_account(demo: DemoNetwork) -> None:
    new = new_link(demo)
    client = Client()
    page = client.get(_url(new.token))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="Petra Hansen"' in html  # the link's contact is filled in
    assert 'class="app-nav"' not in html
    response = client.post(_url(new.token), _form())
    assert response.status_code == 200, response.context["form"].errors if response.context else ""
    opportunity = Opportunity.objects.get(employer=new.link.employer, title="Küchenhilfe über den Link")
    assert opportunity.status == OpportunityStatus.DRAFT
    assert opportunity.source == OpportunitySource.EMPLOYER_LINK
    assert opportunity.organisation == demo.partners["A"] and opportunity.occupation is None
    assert opportunity.created_by == demo.users["po_a"]
    assert "Küchenhilfe, Spüler" in opportunity.description and "0381 123456" in opportunity.description
    link = SubmissionLink.objects.get(pk=new.link.pk)
    assert link.used_at is not None and link.opportunity == opportunity
    events = AuditEvent.objects.filter(actor=None, organisation=demo.partners["A"])
    assert events.filter(object_type="placement.opportunity", action="create").exists()
    assert events.filter(object_type="placement.submissionlink", action="update").exists()


def test_signed_in_staff_without_second_factor_reach_the_page(
    demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    new = new_link(demo)
    client = Client()
    client.force_login(persona("cm_b"))  # password only
    response = client.get(_url(new.token))
    assert response.status_code == 200
    assert 'class="app-nav"' not in response.content.decode()


def test_reused_link_is_refused_and_nothing_saved(demo: DemoNetwork) -> None:
    new = new_link(demo)
    Client().post(_url(new.token), _form())
    count = Opportunity.objects.count()
    again = Client().post(_url(new.token), _form(title="Zweites Angebot"))
    assert again.status_code == 404
    assert Client().get(_url(new.token)).status_code == 404
    assert Opportunity.objects.count() == count


def _neutral_body(response: Any) -> bytes:
    return response.content.split(b"<main", 1)[1].split(b"</main>", 1)[0]


def test_expired_tampered_revoked_and_unknown_links_get_one_neutral_page(demo: DemoNetwork) -> None:
    used = new_link(demo)
    services.submit_opportunity(
        token=used.token, data={**_form(), "start_date": timezone.localdate(), "places": 1}
    )
    expired = new_link(demo)
    SubmissionLink.objects.filter(pk=expired.link.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    revoked = new_link(demo)
    services.link_revoke(actor=demo.users["po_a"], link=revoked.link)
    valid = new_link(demo)
    tampered = valid.token[:-2] + ("AA" if not valid.token.endswith("AA") else "BB")
    unknown = signing.dumps("never stored", salt=services.SALT)
    other_salt = signing.dumps("x", salt="something else")
    bodies = set()
    for token in (used.token, expired.token, revoked.token, tampered, unknown, other_salt, "nonsense"):
        response = Client().get(_url(token))
        assert response.status_code == 404, token
        bodies.add(_neutral_body(response))
        post = Client().post(_url(token), _form())
        assert post.status_code == 404
    assert len(bodies) == 1  # no hint which of them
    used_opportunity = SubmissionLink.objects.get(pk=used.link.pk).opportunity_id
    assert used_opportunity is not None
    assert (
        not Opportunity.objects.filter(title="Küchenhilfe über den Link")
        .exclude(pk=used_opportunity)
        .exists()
    )


def test_signature_older_than_the_setting_is_refused(
    demo: DemoNetwork, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The signature's own age counts too, not only the stored `expires_at`."""
    import time

    new = new_link(demo)
    later = time.time() + 2 * 86400
    with override_settings(PLACEMENT_LINK_DAYS=1):
        monkeypatch.setattr(time, "time", lambda: later)
        assert Client().get(_url(new.token)).status_code == 404


def test_a_token_is_bound_to_its_own_employer(demo: DemoNetwork) -> None:
    link_b = new_link(demo, "B")
    Client().post(_url(link_b.token), _form(title="Angebot B"))
    opportunity = Opportunity.objects.get(title="Angebot B")
    assert opportunity.employer == link_b.link.employer and opportunity.organisation == demo.partners["B"]


@override_settings(PLACEMENT_LINK_LIMIT_PER_LINK=20)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(demo: DemoNetwork) -> None:
    new = new_link(demo)
    cases = [
        ({"places": "0"}, "places"),
        ({"start_date": "2020-01-01"}, "start_date"),
        ({"kind": "internship", "internship_kind": ""}, "internship_kind"),
        ({"contact_phone": "", "contact_email": ""}, "contact_phone"),
        ({"hours_per_week": "80"}, "hours_per_week"),
        ({"title": "Koch\x00"}, "title"),
    ]
    for changes, field in cases:
        response = Client().post(_url(new.token), _form(**changes))
        assert response.status_code == 400, changes
        assert field in response.context["form"].errors, (changes, response.context["form"].errors)
        assert 'aria-invalid="true"' in response.content.decode()
    assert SubmissionLink.objects.get(pk=new.link.pk).used_at is None
    assert not Opportunity.objects.filter(
        employer=new.link.employer, title="Küchenhilfe über den Link"
    ).exists()


def test_german_error_messages(demo: DemoNetwork) -> None:
    new = new_link(demo)
    response = Client().post(_url(new.token), _form(start_date="2020-01-01"))
    assert "Vergangenheit" in response.content.decode()


def test_csrf_is_required(demo: DemoNetwork) -> None:
    new = new_link(demo)
    client = Client(enforce_csrf_checks=True)
    assert client.post(_url(new.token), _form()).status_code == 403
    assert SubmissionLink.objects.get(pk=new.link.pk).used_at is None


@override_settings(PLACEMENT_LINK_LIMIT_PER_ADDRESS=3)
def test_rate_limit_per_address(demo: DemoNetwork) -> None:
    new = new_link(demo)
    client = Client(REMOTE_ADDR="203.0.113.7")
    statuses = [client.get(_url(new.token)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert Client(REMOTE_ADDR="203.0.113.8").get(_url(new.token)).status_code == 200


@override_settings(PLACEMENT_LINK_LIMIT_PER_LINK=2)
def test_rate_limit_per_link(demo: DemoNetwork) -> None:
    new = new_link(demo)
    statuses = [
        Client(REMOTE_ADDR=f"203.0.113.{n}").post(_url(new.token), _form(places="0")).status_code
        for n in range(1, 4)
    ]
    assert statuses == [400, 400, 429]
    assert Client(REMOTE_ADDR="203.0.113.9").post(_url(new.token), _form()).status_code == 429
    assert SubmissionLink.objects.get(pk=new.link.pk).used_at is None


def test_the_page_shows_nothing_about_participants(demo: DemoNetwork) -> None:
    new = new_link(demo)
    names = list(Participant.objects.values_list("family_name", flat=True))
    assert names
    for response in (Client().get(_url(new.token)), Client().post(_url(new.token), _form())):
        html = response.content.decode()
        for name in names:
            assert name not in html, name


# --- Drafts --------------------------------------------------------------------------------


def test_draft_list_and_publish(demo: DemoNetwork, login: Callable[[str], Client], count_queries) -> None:
    draft = draft_of(demo)
    client = login("po_a")
    with count_queries() as one:
        listing = client.get(reverse("placement:draft_list"))
    assert draft.title in listing.content.decode() and "1" in listing.content.decode()
    for _ in range(3):
        draft_of_copy = Opportunity.objects.get(pk=draft.pk)
        draft_of_copy.pk = None
        draft_of_copy.save()
    with count_queries() as four:
        client.get(reverse("placement:draft_list"))
    assert one.count == four.count
    assert login("cm_a").get(reverse("placement:draft_list")).status_code == 404
    assert login("cm_b").get(reverse("placement:draft_publish", kwargs={"pk": draft.pk})).status_code == 404

    Occupation.objects.update_or_create(code="29301", defaults={"title": "Köche – Helfer"})
    site = draft.employer.sites.first()
    assert site is not None
    url = reverse("placement:draft_publish", kwargs={"pk": draft.pk})
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"occupation": "29999", "site": site.pk, "start_date": draft.start_date.isoformat()})
    bad = client.post(url, data)
    assert bad.status_code == 400 and "occupation" in bad.context["form"].errors
    bad_end = client.post(url, {**data, "occupation": "29301", "end_date": "2000-01-01"})
    assert bad_end.status_code == 400 and "end_date" in bad_end.context["form"].errors
    assert Opportunity.objects.get(pk=draft.pk).status == OpportunityStatus.DRAFT
    data["occupation"] = "29301"
    response = client.post(url, data)
    assert response.status_code == 302
    published = Opportunity.objects.get(pk=draft.pk)
    assert published.status == OpportunityStatus.OPEN and published.occupation_id == "29301"
    assert published.latitude == pytest.approx(float(site.latitude))
    assert client.get(url).status_code == 404  # no longer a draft


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer at a time in; parallel submissions need PostgreSQL's parallel writers",
)
def test_parallel_submissions_use_a_link_once(transactional_db: None) -> None:
    """Four submissions of the same link at the same moment, each on its own connection and
    committing as in production: one draft, three neutral refusals."""
    from bruecke.network.demo import seed_network

    new = new_link(seed_network())
    start, results = threading.Barrier(4), []
    data = {**_form(title="Parallel"), "start_date": timezone.localdate(), "places": 1}

    def run() -> None:
        try:
            start.wait()
            try:
                services.submit_opportunity(token=new.token, data=data)
                results.append("saved")
            except services.LinkInvalid:
                results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["refused", "refused", "refused", "saved"]
    assert Opportunity.objects.filter(title="Parallel").count() == 1
