"""Every edit form refuses a save based on an outdated version (issue 10, item 4; decision 0011).

The pages are enumerated from the persona × URL matrix: any page that renders a model form
bound to a stored record is an edit page. A new edit page without the hidden version, or
whose save ignores it, fails here.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django import forms
from django.db.models import F
from django.forms.models import model_to_dict

from bruecke.accounts.models import User
from bruecke.core.locking import VersionedModel
from bruecke.core.models import AuditEvent
from bruecke.esf.models import EntryRecord
from bruecke.network.demo import DemoNetwork
from tests.access_expectations import mohammed
from tests.form_pages import FormPage, HtmlForm, context_values, editing_forms, get_page_names, open_page

# Pages that show a stored record in a model form but are not edit pages of it, and why.
NOT_EDIT_PAGES: dict[str, str] = {}

# Every edit page this suite knows; a page that stops being one is noticed as well.
KNOWN_EDIT_PAGES = {
    "cases:document_edit",
    "cases:edit",
    "cases:exit_edit",
    "cases:follow_up_edit",
    "cases:profile_edit",
    "cases:task_edit",
    "esf:entry",
    "network:hour_edit",
    "network:office_edit",
    "network:organisation_edit",
    "network:site_edit",
    "offers:group_edit",
    "network:staff_edit",
    "network:team_edit",
    "offers:event_edit",
    "offers:measure_edit",
    "offers:partner_edit",
    "offers:provider_edit",
    "offers:training_edit",
    "offers:language_edit",
    "offers:recognition_edit",
    "offers:school_edit",
    "offers:transition_edit",
    "participants:edit",
    "placement:draft_publish",
    "placement:employer_contact_edit",
    "placement:employer_edit",
    "placement:opportunity_edit",
    "placement:site_edit",
    "privacy:breach_edit",
    "reporting:project_edit",
    "reporting:target_edit",
}


@pytest.fixture(autouse=True)
def _questionnaire(demo: DemoNetwork) -> None:
    """The demo participant has no ESF questionnaire yet: with one, its page is an edit page."""
    EntryRecord.objects.get_or_create(participant=mohammed(demo), organisation=mohammed(demo).organisation)


# Answers the demo records lack but the form requires (the exit record predates the question).
COMPLETIONS: dict[str, dict[str, str]] = {"cases:exit_edit": {"qualification_gained": "false"}}


def _completions(url_name: str, page: FormPage) -> dict[str, str]:
    if url_name == "placement:draft_publish":
        # An employer's draft lacks the occupation code and the site until the placement
        # officer picks them.
        draft = next(f.instance for f in page.context_forms if isinstance(f, forms.BaseModelForm))
        return {"occupation": "29301", "site": str(draft.employer.sites.earliest("pk").pk)}
    return COMPLETIONS.get(url_name, {})


def _edited_text(url_name: str, form: forms.BaseForm, page: FormPage, html_form: HtmlForm) -> dict[str, str]:
    """One plain text field changed, so that a save that ignores the version would show."""
    values = dict(html_form.data)
    for name, field in form.fields.items():
        if type(field.widget) is forms.TextInput and isinstance(field, forms.CharField) and values.get(name):
            return {**_completions(url_name, page), name: values[name][:50] + "x"}
    return _completions(url_name, page)


def _edit_pages(demo: DemoNetwork, persona: Callable[[str], User]) -> set[str]:
    return {
        name
        for name in get_page_names()
        if name not in NOT_EDIT_PAGES and any(editing_forms(open_page(name, demo, persona)))
    }


def test_the_edit_pages_are_known(demo: DemoNetwork, persona: Callable[[str], User]) -> None:
    assert _edit_pages(demo, persona) == KNOWN_EDIT_PAGES


@pytest.mark.parametrize("url_name", sorted(KNOWN_EDIT_PAGES))
def test_a_stale_version_is_refused_and_nothing_saved(
    url_name: str, demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    page = open_page(url_name, demo, persona)
    form = next(editing_forms(page))
    record = form.instance
    assert isinstance(record, VersionedModel), f"{url_name}: {type(record).__name__} has no version"
    html_form = next((f for f in page.html_forms if "version" in f.names()), None)
    assert html_form is not None, f"{url_name}: the edit form does not carry the version it was loaded with"

    # Someone else saves the record after the page was loaded.
    type(record)._default_manager.filter(pk=record.pk).update(version=F("version") + 1)
    stored = model_to_dict(type(record)._default_manager.get(pk=record.pk))
    events = AuditEvent.objects.count()

    response = page.client.post(
        html_form.action or page.url, html_form.as_post(**_edited_text(url_name, form, page, html_form))
    )

    assert response.status_code == 400, (url_name, response.status_code)
    assert any(getattr(f, "conflict", False) for f in context_values(response)), url_name
    assert (
        'class="kern-btn kern-btn--secondary"><span class="kern-label">' in response.content.decode()
    )  # the reload link
    assert model_to_dict(type(record)._default_manager.get(pk=record.pk)) == stored
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("url_name", sorted(KNOWN_EDIT_PAGES))
def test_the_current_version_saves(url_name: str, demo: DemoNetwork, persona: Callable[[str], User]) -> None:
    """The same form, not stale, is accepted: the refusal above is about the version only."""
    page = open_page(url_name, demo, persona)
    html_form = next(f for f in page.html_forms if "version" in f.names())
    response = page.client.post(
        html_form.action or page.url, html_form.as_post(**_completions(url_name, page))
    )
    assert response.status_code == 302, (url_name, response.status_code)


def test_a_questionnaire_created_meanwhile_is_not_overwritten(
    demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    participant = mohammed(demo)
    EntryRecord.objects.filter(participant=participant).delete()
    page = open_page("esf:entry", demo, persona)
    html_form = next(f for f in page.html_forms if "version" in f.names())
    assert dict(html_form.data)["version"] == "0"
    EntryRecord.objects.create(participant=participant, organisation=participant.organisation)
    events = AuditEvent.objects.count()
    response = page.client.post(page.url, html_form.as_post())
    assert response.status_code == 400
    assert response.context["form"].conflict
    assert AuditEvent.objects.count() == events
