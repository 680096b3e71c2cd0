"""The product's form pages as a browser sees them: every GET page of the persona × URL
matrix, opened by someone allowed to, with the POST forms it renders.

Used by the tests that must cover every edit form (optimistic locking) and every create
form (one submission per rendered form).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django import forms
from django.test import Client
from django.urls import reverse

from bruecke.accounts.models import User
from bruecke.network.demo import DemoNetwork
from tests.access_expectations import EXPECTATIONS
from tests.clients import verified_client

# Who opens a page: the first persona the matrix lets in.
_PREFERENCE = ["admin", "cm_a", "team_lead", "dpo", "coordinator", "po_a", "cm_b", "user_c", "ruppin.admin"]
_NOT_SUBMITTED = {"submit", "button", "image", "reset", "file"}


@dataclass
class HtmlForm:
    """A rendered <form method="post">: its action and what a browser would submit unchanged."""

    action: str
    data: list[tuple[str, str]] = field(default_factory=list)

    def names(self) -> set[str]:
        return {name for name, _value in self.data}

    def as_post(self, **changes: str) -> dict[str, Any]:
        posted: dict[str, Any] = {}
        for name, value in self.data:
            posted.setdefault(name, []).append(value)
        posted |= {name: [value] for name, value in changes.items()}
        return {name: values if len(values) > 1 else values[0] for name, values in posted.items()}


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._option_text: list[str] | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = HtmlForm(action=a.get("action", ""))
            self.forms.append(self._form)
            return
        if tag == "option":
            if self._select is not None:
                self._start_option(a)
            return
        if self._form is None or "name" not in a:
            return
        if tag == "input" and a.get("type", "text") not in _NOT_SUBMITTED:
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.data.append((a["name"], a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select":
            self._select, self._options = (a["name"], "multiple" in a), []
        elif tag == "textarea":
            self._textarea = (a["name"], [])

    def _start_option(self, a: dict[str, str]) -> None:
        if "value" in a:
            self._options.append((a["value"], "selected" in a))
        else:
            self._option_text = []
            self._options.append(("", "selected" in a))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._option_text is not None:
            self._option_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option_text is not None:
            self._options[-1] = ("".join(self._option_text).strip(), self._options[-1][1])
            self._option_text = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self._form.data += [(name, value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, parts = self._textarea
            self._form.data.append((name, "".join(parts).removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None


def post_forms(html: str) -> list[HtmlForm]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


@dataclass
class FormPage:
    url_name: str
    url: str
    persona: str
    client: Client
    html_forms: list[HtmlForm]
    context_forms: list[forms.BaseForm]


def context_values(response: Any) -> list[Any]:
    """Every value of the templates' contexts (one context or a list of them)."""
    contexts = response.context if isinstance(response.context, list) else [response.context]
    return [value for context in contexts if context is not None for value in context.flatten().values()]


def _context_forms(response: Any) -> list[forms.BaseForm]:
    found: list[forms.BaseForm] = []
    for value in context_values(response):
        candidates = value if isinstance(value, list | tuple) else [value]
        candidates = [*candidates, *vars(value).values()] if hasattr(value, "__dict__") else candidates
        for candidate in candidates:
            if isinstance(candidate, forms.BaseForm) and all(candidate is not f for f in found):
                found.append(candidate)
    return found


def get_page_names() -> list[str]:
    return sorted(
        name
        for name, expect in EXPECTATIONS.items()
        if expect.method == "get" and expect.is_page and any(expect.status(p) == 200 for p in _PREFERENCE)
    )


def open_page(url_name: str, demo: DemoNetwork, persona: Callable[[str], User]) -> FormPage:
    expect = EXPECTATIONS[url_name]
    key = next(p for p in _PREFERENCE if expect.status(p) == 200)
    client = verified_client(persona(key))
    url = reverse(url_name, kwargs=expect.kwargs(demo))
    response = client.get(url)
    assert response.status_code == 200, (url_name, key, response.status_code)
    html = response.content.decode()
    return FormPage(url_name, url, key, client, post_forms(html), _context_forms(response))


def editing_forms(page: FormPage) -> Iterator[forms.BaseModelForm]:  # type: ignore[type-arg]
    """The page's model forms bound to a stored record (formset rows excluded)."""
    for form in page.context_forms:
        if isinstance(form, forms.BaseModelForm) and form.instance.pk is not None and not form.prefix:
            yield form
