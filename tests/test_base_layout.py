"""The base layout (templates/base.html, decision 0035) as each demo persona sees it: the
header with organisation and role in use, the navigation the persona's permissions allow
with the current section marked, the footer links the operator configures, KERN loaded
from our own static URL, messages as KERN alerts and form fields with KERN's error markup.
Also the template helpers of bruecke/core/templatetags/kern.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import Element

import pytest
import tinyhtml5  # type: ignore[import-untyped]  # WeasyPrint's HTML5 parser (requirements.txt)
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation

from bruecke.core import access
from bruecke.core.context_processors import NAV_ENTRIES
from bruecke.core.templatetags import kern
from bruecke.network.demo import DemoNetwork
from tests.access_expectations import EXPECTATIONS, MEMBERS

pytestmark = pytest.mark.django_db


def _tree(html: bytes | str) -> Element:
    # Bytes: tinyhtml5 refuses Django's SafeString (it interns strings).
    return tinyhtml5.parse(html if isinstance(html, bytes) else html.encode(), namespace_html_elements=False)


def _page(client: Client, url: str, status: int = 200) -> Element:
    response = client.get(url)
    assert response.status_code == status, url
    return _tree(response.content)


def _text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _nav(tree: Element) -> Element:
    navs = [n for n in tree.iter("nav") if "app-nav" in n.get("class", "").split()]
    assert len(navs) == 1
    return navs[0]


def _by_id(tree: Element, element_id: str) -> Element:
    found = [e for e in tree.iter() if e.get("id") == element_id]
    assert len(found) == 1, element_id
    return found[0]


def _parent_map(tree: Element) -> dict[Element, Element]:
    return {child: parent for parent in tree.iter() for child in parent}


def _classes(element: Element) -> set[str]:
    return set(element.get("class", "").split())


# --- header -------------------------------------------------------------------------------


@pytest.mark.parametrize("key", MEMBERS)
def test_header_names_the_organisation_and_the_role_in_use(
    key: str, login: Callable[[str], Client], persona: Callable[[str], Any]
) -> None:
    user = persona(key)
    role = access.memberships(user)[0]
    header = next(_page(login(key), reverse("core:dashboard")).iter("header"))
    context = next(p for p in header.iter("p") if "app-header__context" in _classes(p))
    assert _text(context).startswith(f"{role.organisation.name} · {role.get_role_display()}")
    assert str(user) in _text(header)


def test_header_speaks_the_users_language(
    login: Callable[[str], Client], persona: Callable[[str], Any]
) -> None:
    user = persona("cm_a")
    user.language = "en"
    user.save(update_fields=["language"])
    role = access.memberships(user)[0]
    header = next(_page(login("cm_a"), reverse("core:dashboard")).iter("header"))
    with translation.override("en"):
        assert f"{role.organisation.name} · {role.get_role_display()}" in _text(header)
        assert translation.gettext("Participants") in _text(header)


def test_visitors_get_no_navigation_and_no_role(client: Client) -> None:
    tree = _page(client, reverse("accounts:login"))
    assert not [n for n in tree.iter("nav") if "app-nav" in _classes(n)]
    assert not [p for p in tree.iter("p") if "app-header__context" in _classes(p)]


# --- navigation ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", MEMBERS)
def test_navigation_shows_exactly_what_the_permissions_allow(
    key: str, login: Callable[[str], Client], persona: Callable[[str], Any]
) -> None:
    user = persona(key)
    page = _page(login(key), reverse("accounts:settings"))
    # The labels in the page's language (a test run earlier in this process may have left
    # another language active).
    with translation.override(page.get("lang") or settings.LANGUAGE_CODE):
        expected = [(reverse(e.url_name), str(e.label)) for e in NAV_ENTRIES if e.allows(user)]
    nav = _nav(page)
    shown = [(a.get("href"), _text(a)) for a in nav.iter("a")]
    assert shown == expected


@pytest.mark.parametrize("key", MEMBERS)
def test_navigation_agrees_with_the_access_matrix(
    key: str, login: Callable[[str], Client], persona: Callable[[str], Any]
) -> None:
    """An entry is shown exactly when the persona × URL matrix lets the persona open it:
    no entry leads to a 404, no page the persona may use is missing from the navigation."""
    nav = _nav(_page(login(key), reverse("accounts:settings")))
    shown = {a.get("href") for a in nav.iter("a")}
    for entry in NAV_ENTRIES:
        may_open = EXPECTATIONS[entry.url_name].status(key) == 200
        assert (reverse(entry.url_name) in shown) == may_open, (key, entry.key)


CURRENT = [
    # (persona, url name, kwargs from the demo, navigation entry marked current)
    ("cm_a", "core:dashboard", None, "dashboard"),
    ("cm_a", "participants:list", None, "participants"),
    ("cm_a", "participants:detail", "participants:detail", "participants"),
    ("cm_a", "cases:detail", "cases:detail", "participants"),
    ("team_lead", "cases:caseload", None, "caseload"),
    ("cm_a", "cases:task_list", None, "tasks"),
    ("cm_a", "network:network_page", None, "network"),
    ("cm_a", "rules:overview", None, "rules"),
    ("cm_a", "rules:question", "rules:question", "rules"),
    ("admin", "network:manage", None, "manage"),
    ("admin", "network:staff_list", None, "staff"),
    ("dpo", "core:audit_log", None, "audit"),
    ("dpo", "privacy:breach_list", None, "breaches"),
    ("cm_a", "jobs:list", None, "jobs"),
]


@pytest.mark.parametrize(("key", "name", "kwargs_from", "entry"), CURRENT)
def test_navigation_marks_the_current_section_once(
    key: str,
    name: str,
    kwargs_from: str | None,
    entry: str,
    demo: DemoNetwork,
    login: Callable[[str], Client],
) -> None:
    kwargs = EXPECTATIONS[kwargs_from].kwargs(demo) if kwargs_from else {}
    nav = _nav(_page(login(key), reverse(name, kwargs=kwargs)))
    current = [a for a in nav.iter("a") if a.get("aria-current") == "page"]
    assert len(current) == 1
    target = next(e for e in NAV_ENTRIES if e.key == entry)
    assert current[0].get("href") == reverse(target.url_name)


def test_settings_page_marks_the_account_link_not_a_navigation_entry(login: Callable[[str], Client]) -> None:
    tree = _page(login("cm_a"), reverse("accounts:settings"))
    assert not [a for a in _nav(tree).iter("a") if a.get("aria-current")]
    account = [a for a in tree.iter("a") if a.get("href") == reverse("accounts:settings")]
    assert [a.get("aria-current") for a in account] == ["page"]


# --- footer -------------------------------------------------------------------------------

IMPRINT = "https://traeger.example/impressum"
PRIVACY = "https://traeger.example/datenschutz"


def _footer_links(client: Client, url: str) -> dict[str, str]:
    # The page's footer (cards have footers of their own).
    footer = next(f for f in _page(client, url).iter("footer") if "app-footer" in f.get("class", ""))
    return {a.get("href", ""): _text(a) for a in footer.iter("a")}


@override_settings(IMPRINT_URL=IMPRINT, PRIVACY_NOTICE_URL=PRIVACY)
@pytest.mark.parametrize("signed_in", [True, False])
def test_footer_links_the_configured_imprint_and_privacy_notice(
    signed_in: bool, login: Callable[[str], Client], client: Client
) -> None:
    if signed_in:
        links = _footer_links(login("cm_a"), reverse("core:dashboard"))
    else:
        links = _footer_links(client, reverse("accounts:login"))
    with translation.override("de"):
        assert links == {
            IMPRINT: translation.gettext("Imprint"),
            PRIVACY: translation.gettext("Privacy notice"),
        }


@override_settings(IMPRINT_URL="", PRIVACY_NOTICE_URL="")
def test_footer_has_no_links_when_nothing_is_configured(login: Callable[[str], Client]) -> None:
    assert _footer_links(login("cm_a"), reverse("core:dashboard")) == {}


@override_settings(IMPRINT_URL=IMPRINT, PRIVACY_NOTICE_URL="")
def test_footer_links_only_what_is_configured(login: Callable[[str], Client]) -> None:
    assert list(_footer_links(login("cm_a"), reverse("core:dashboard"))) == [IMPRINT]


# --- KERN from our own static URL ------------------------------------------------------------


@pytest.mark.parametrize("signed_in", [True, False])
def test_pages_load_kern_css_and_fonts_from_our_static_url(
    signed_in: bool, login: Callable[[str], Client], client: Client
) -> None:
    if signed_in:
        tree = _page(login("cm_a"), reverse("core:dashboard"))
    else:
        tree = _page(client, reverse("accounts:login"))
    sheets = [link.get("href", "") for link in tree.iter("link") if link.get("rel") == "stylesheet"]
    static = settings.STATIC_URL
    assert all(s.startswith(static) for s in sheets), sheets
    kern_css = [i for i, s in enumerate(sheets) if s.startswith(f"{static}vendor/kern/kern.min")]
    fonts = [i for i, s in enumerate(sheets) if s.startswith(f"{static}vendor/kern/fonts/fira-sans")]
    own = [i for i, s in enumerate(sheets) if s.startswith(f"{static}css/app")]
    assert len(kern_css) == len(fonts) == len(own) == 1, sheets
    # KERN first, our own additions after it (so they can refine KERN's rules).
    assert kern_css[0] < own[0]


def test_the_kern_files_are_ours_and_fetch_nothing_from_elsewhere() -> None:
    """kern.min.css and the font file come from the npm lockfile (STATICFILES_DIRS); the
    fonts they name are files next to them, not a font service."""
    assert finders.find("vendor/kern/kern.min.css")
    fonts = finders.find("vendor/kern/fonts/fira-sans.css")
    assert fonts
    with open(fonts, encoding="utf-8") as handle:
        font_css = handle.read()
    urls = [part.split(")")[0].strip("'\" ") for part in font_css.split("url(")[1:]]
    assert urls
    for url in urls:
        assert not url.startswith(("http:", "https:", "//")), url
        assert finders.find(f"vendor/kern/fonts/{url.split('?')[0]}"), url


# --- messages -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("add", "variant"),
    [
        (messages.success, "success"),
        (messages.info, "info"),
        (messages.warning, "warning"),
        (messages.error, "danger"),
        (messages.debug, "info"),
    ],
)
def test_messages_render_as_kern_alerts_of_the_right_variant(
    add: Callable[..., None], variant: str, rf: RequestFactory
) -> None:
    request = rf.get("/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    request._messages.level = messages.DEBUG  # type: ignore[attr-defined]
    add(request, "Gespeichert & geprüft")
    tree = _tree(render_to_string("base.html", request=request))
    region = next(d for d in tree.iter("div") if "app-messages" in _classes(d))
    assert region.get("role") == "status"
    alerts = [d for d in region.iter("div") if "kern-alert" in _classes(d)]
    assert len(alerts) == 1
    assert _classes(alerts[0]) == {"kern-alert", f"kern-alert--{variant}"}
    assert _text(alerts[0]) == "Gespeichert & geprüft"
    icon = next(s for s in alerts[0].iter("span") if "kern-icon" in _classes(s))
    assert f"kern-icon--{variant}" in _classes(icon)
    assert icon.get("aria-hidden") == "true"


def test_a_real_success_message_after_a_redirect(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    """A task marked done: the task list shows the success as a KERN alert."""
    from tests.expectations_tasks import demo_task

    response = login("cm_a").post(reverse("cases:task_done", args=[demo_task(demo).pk]), follow=True)
    assert response.status_code == 200
    alerts = [d for d in _tree(response.content).iter("div") if "kern-alert" in _classes(d)]
    with translation.override("de"):
        done = translation.gettext("The task is done.")
    assert [(_classes(a), _text(a)) for a in alerts] == [({"kern-alert", "kern-alert--success"}, done)]


# --- forms --------------------------------------------------------------------------------


def test_a_form_with_errors_renders_kern_error_markup(login: Callable[[str], Client]) -> None:
    client = login("cm_a")
    response = client.post(reverse("participants:create"), {"birth_date": "not a date"})
    assert response.status_code == 400
    tree = _tree(response.content)
    parents = _parent_map(tree)
    field = _by_id(tree, "id_birth_date")
    assert "kern-form-input__input--error" in _classes(field)
    assert "kern-form-input__input" in _classes(field)
    assert field.get("aria-invalid") == "true"
    described = field.get("aria-describedby", "").split()
    assert described == ["id_birth_date-errors", "id_birth_date-help"]
    errors = _by_id(tree, "id_birth_date-errors")
    assert "kern-error" in _classes(errors)
    assert _text(errors)
    assert _by_id(tree, "id_birth_date-help").get("class") == "kern-hint"
    # The error text stands next to the field: in the same KERN field container.
    container = parents[field]
    assert "kern-form-input" in _classes(container)
    assert errors in list(container)


def test_a_generic_form_page_with_errors(login: Callable[[str], Client]) -> None:
    """includes/form.html (here the task form): a KERN danger alert above the form, and every
    invalid field marked, described by its error list, which stands in its field container."""
    client = login("cm_a")
    url = reverse("cases:task_create")
    token = _by_id(_page(client, url), "id_submission").get("value", "")
    response = client.post(url, {"submission": token, "title": "", "due_on": "kein Datum"})
    assert response.status_code == 400
    tree = _tree(response.content)
    parents = _parent_map(tree)
    main = next(tree.iter("main"))
    alerts = [d for d in main.iter("div") if {"kern-alert", "kern-alert--danger"} <= _classes(d)]
    assert len(alerts) == 1 and alerts[0].get("role") == "alert"
    with translation.override("de"):
        assert _text(alerts[0]) == translation.gettext("Please correct the marked fields.")
    invalid = [e for e in main.iter() if e.get("aria-invalid") == "true"]
    assert invalid
    for field in invalid:
        field_id = field.get("id", "")
        assert f"{field_id}-errors" in field.get("aria-describedby", "").split()
        assert any(c.endswith("--error") for c in _classes(field)), field_id
        errors = _by_id(tree, f"{field_id}-errors")
        assert _text(errors)
        assert errors in list(parents[field]) or errors in list(parents[parents[field]])


def test_valid_fields_are_not_marked_invalid(login: Callable[[str], Client]) -> None:
    tree = _page(login("cm_a"), reverse("participants:create"))
    field = _by_id(tree, "id_birth_date")
    assert _classes(field) == {"kern-form-input__input"}
    assert field.get("aria-invalid") is None
    assert field.get("aria-describedby") == "id_birth_date-help"


@pytest.mark.parametrize("language", ["de", "en"])
def test_optional_fields_carry_the_translated_optional_mark(
    language: str, login: Callable[[str], Client], persona: Callable[[str], Any]
) -> None:
    user = persona("cm_a")
    user.language = language
    user.save(update_fields=["language"])
    response = login("cm_a").get(reverse("participants:create"))
    assert response.status_code == 200
    tree = _tree(response.content)
    with translation.override(language):
        mark = f"– {translation.gettext('optional')}"
    labels = {lab.get("for"): lab for lab in tree.iter("label") if lab.get("for")}
    legends = {_text(leg) for leg in tree.iter("legend")}
    form = response.context["form"]  # the form as the view set it up
    checked = 0
    for name in form.fields:
        bound = form[name]
        if bound.is_hidden or bound.widget_type == "checkbox":
            continue
        if kern.is_choice_list(bound):
            text = next((t for t in legends if t.startswith(str(bound.label))), None)
        else:
            label = labels.get(bound.id_for_label)
            text = _text(label) if label is not None else None
        if text is None:  # the template lays this field out itself
            continue
        checked += 1
        assert text.endswith(mark) == (not form.fields[name].required), (name, text)
    assert checked >= 5


# --- kern.py ------------------------------------------------------------------------------


class _Sample(forms.Form):
    text = forms.CharField(max_length=10)
    mail = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"class": "own"}))
    notes = forms.CharField(widget=forms.Textarea, required=False)
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.SelectMultiple)
    nullable = forms.NullBooleanField()
    agree = forms.BooleanField(required=False)
    radios = forms.ChoiceField(choices=[("1", "One"), ("2", "Two")], widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(
        choices=[("p", "P"), ("q", "Q")], widget=forms.CheckboxSelectMultiple, required=False
    )


WIDGET_CLASSES = {
    "text": "kern-form-input__input",
    "mail": "kern-form-input__input",
    "notes": "kern-form-input__input",
    "choice": "kern-form-input__select",
    "many": "kern-form-input__select",
    "nullable": "kern-form-input__select",
    "agree": "kern-form-check__checkbox",
    "radios": "kern-form-check__radio",
    "boxes": "kern-form-check__checkbox",
}


@pytest.mark.parametrize(("name", "css"), WIDGET_CLASSES.items())
def test_widget_class_per_widget_type(name: str, css: str) -> None:
    assert kern.widget_class(_Sample()[name]) == css


@pytest.mark.parametrize(("name", "css"), WIDGET_CLASSES.items())
def test_widget_class_marks_errors(name: str, css: str) -> None:
    form = _Sample(data={"text": "x" * 11, "choice": "z", "radios": "9", "many": ["z"], "boxes": ["z"]})
    form.add_error("agree", "Bitte bestätigen.")
    form.add_error("notes", "Zu kurz.")
    form.add_error("mail", "Ungültig.")
    form.add_error("nullable", "Bitte wählen.")
    assert form.errors.keys() == WIDGET_CLASSES.keys()
    assert kern.widget_class(form[name]) == f"{css} {css}--error"


def test_kern_widget_puts_the_class_on_the_widget_and_keeps_the_forms_own() -> None:
    form = _Sample()
    text = _by_id(_tree(str(kern.kern_widget(form["text"]))), "id_text")
    assert text.get("class") == "kern-form-input__input"
    assert text.get("maxlength") == "10"
    mail = _by_id(_tree(str(kern.kern_widget(form["mail"]))), "id_mail")
    assert mail.get("class") == "kern-form-input__input own"
    select = _by_id(_tree(str(kern.kern_widget(form["choice"]))), "id_choice")
    assert select.tag == "select" and select.get("class") == "kern-form-input__select"


def test_kern_widget_marks_the_error_variant() -> None:
    form = _Sample(data={"text": ""})
    assert form.errors
    text = _by_id(_tree(str(kern.kern_widget(form["text"]))), "id_text")
    assert _classes(text) == {"kern-form-input__input", "kern-form-input__input--error"}


@pytest.mark.parametrize(
    ("name", "css", "kind"),
    [("radios", "kern-form-check__radio", "radio"), ("boxes", "kern-form-check__checkbox", "checkbox")],
)
def test_kern_options_give_each_input_its_class_and_label(name: str, css: str, kind: str) -> None:
    options = kern.kern_options(_Sample()[name])
    assert [o["label"] for o in options] == (["One", "Two"] if name == "radios" else ["P", "Q"])
    for index, option in enumerate(options):
        assert option["id"] == f"id_{name}_{index}"
        tree = _tree(str(option["tag"]))
        element = _by_id(tree, option["id"])
        assert element.tag == "input" and element.get("type") == kind
        assert element.get("class") == css
        # KERN's markup puts the label beside the input, not around it.
        assert not list(tree.iter("label"))


def test_kern_options_mark_errors() -> None:
    form = _Sample(data={"radios": "9"})
    assert "radios" in form.errors
    for option in kern.kern_options(form["radios"]):
        element = _by_id(_tree(str(option["tag"])), option["id"])
        assert _classes(element) == {"kern-form-check__radio", "kern-form-check__radio--error"}


@pytest.mark.parametrize(
    ("name", "select", "choice_list"),
    [
        ("text", False, False),
        ("choice", True, False),
        ("many", True, False),
        ("nullable", True, False),
        ("agree", False, False),
        ("radios", False, True),
        ("boxes", False, True),
    ],
)
def test_is_select_and_is_choice_list(name: str, select: bool, choice_list: bool) -> None:
    field = _Sample()[name]
    assert kern.is_select(field) is select
    assert kern.is_choice_list(field) is choice_list


@pytest.mark.parametrize(
    ("level", "kind"),
    [
        ("success", "success"),
        ("error", "danger"),
        ("danger", "danger"),
        ("warning", "warning"),
        ("info", "info"),
        ("debug", "info"),
        ("something-else", "info"),
        ("", "info"),
    ],
)
def test_alert_kind(level: str, kind: str) -> None:
    assert kern.alert_kind(level) == kind


@pytest.mark.parametrize("level", ["warning", "danger", "success", "info"])
def test_the_alert_include_with_title_and_text(level: str) -> None:
    html = render_to_string(
        "includes/alert.html", {"level": level, "title": "Titel", "text": "Text", "role": "alert"}
    )
    alert = next(d for d in _tree(html).iter("div") if "kern-alert" in _classes(d))
    assert _classes(alert) == {"kern-alert", f"kern-alert--{level}"}
    assert alert.get("role") == "alert"
    title = next(s for s in alert.iter("span") if "kern-title" in _classes(s))
    assert _text(title) == "Titel"
    body = next(d for d in alert.iter("div") if "kern-alert__body" in _classes(d))
    assert _text(body) == "Text"
