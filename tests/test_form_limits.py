"""Class-wide limits of every form of the product: dates within sensible years, text of
bounded length.

Every form class is found by walking the subclasses of Django's BaseForm that live in
`bruecke`, and built with the keyword arguments its constructor asks for, so a new form
is covered without being listed here."""

from __future__ import annotations

import datetime
import importlib
import inspect
import pkgutil
from typing import Any

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import translation

import bruecke
from bruecke.accounts.models import User
from bruecke.cases.forms.contacts import ContactForm
from bruecke.cases.models import Case, CaseTransfer, Task
from bruecke.core.forms import TEXT_MAX_LENGTH, text_limit
from bruecke.esf.models import ExitRecord
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import MobileSite, Team
from bruecke.offers.models import CooperationPartner, Measure, Provider, Referral, Training
from bruecke.participants.forms import PartialDateField
from bruecke.placement.models import Application, CheckIn, Employer, PermitRequest, Placement
from bruecke.spreadsheets import registry
from bruecke.spreadsheets.models import ImportRun


def _import_forms() -> None:
    for module in pkgutil.walk_packages(bruecke.__path__, "bruecke."):
        if "forms" in module.name and ".migrations" not in module.name:
            importlib.import_module(module.name)


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def product_forms() -> list[type[Any]]:
    _import_forms()
    classes = {c for c in _subclasses(forms.BaseForm) if c.__module__.startswith("bruecke.")}
    concrete = [c for c in classes if not getattr(getattr(c, "Meta", None), "abstract", False)]
    return sorted(concrete, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _date_fields(form_class: type[Any]) -> list[str]:
    date_types = (forms.DateField, forms.DateTimeField, PartialDateField)
    return [name for name, field in form_class.base_fields.items() if isinstance(field, date_types)]


DATE_FORMS = [c for c in product_forms() if _date_fields(c)]


def _arguments(form_class: type[Any], demo: DemoNetwork) -> dict[str, Any]:
    """What the constructor needs (keyword-only arguments without default), from the demo."""
    membership = demo.users["cm_a"].memberships.first()
    assert membership is not None
    case = Case.objects.filter(organisation=membership.organisation).first()
    pool: dict[str, Any] = {
        "user": demo.users["cm_a"],
        "case": case,
        "participant": case.participant if case else None,
        "based_on": 0,
        "version": 1,
        "site": MobileSite.objects.first(),
        "task": Task.objects.first(),
        "transfer": CaseTransfer.objects.first() or CaseTransfer(case=case),
        "instance": ExitRecord(participant=case.participant) if case else None,
        "case_choices": [],
        "topic_choices": [],
        # Placement forms: the demo's records of partner A (choices: e.g. the statuses offered).
        "employer": Employer.objects.filter(organisation=membership.organisation).first(),
        "application": Application.objects.filter(organisation=membership.organisation).first(),
        "permit": PermitRequest.objects.first(),
        "ba_approval": True,
        "placement": Placement.objects.filter(organisation=membership.organisation).first(),
        "check_in": CheckIn.objects.first(),
        "choices": [("open", "open"), ("closed", "closed")],
        # Offers forms (catalogue, network work): the demo's records of partner A.
        "network_id": membership.organisation.network_id,
        "providers": Provider.objects.filter(organisation=membership.organisation),
        "measure": Measure.objects.filter(organisation=membership.organisation).first(),
        "training": Training.objects.filter(organisation=membership.organisation).first(),
        "partner": CooperationPartner.objects.filter(organisation=membership.organisation).first(),
        # Group offer forms: the choices of teams, trainers and cases; an empty roster.
        "teams": Team.objects.all(),
        "staff": User.objects.all(),
        "cases": Case.objects.all(),
        "enrolments": [],
        "current": {},
        # Offers forms: the demo's open referral of partner A (the next statuses offered).
        "referral": Referral.objects.filter(organisation=membership.organisation, status="referred").first(),
        # Import forms: a run of the employers file with two headers, the projects of a file.
        "run": ImportRun(organisation=membership.organisation, entity="employers", headers=["Nr.", "Firma"]),
        "entity": registry.get("employers"),
        "unknown": {},
        "projects": {},
        # The note form of the rules app: no note saved yet for the office.
        "note": None,
    }
    wanted = {}
    for klass in form_class.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        for name, parameter in inspect.signature(init).parameters.items():
            # Keyword-only, and the user the report choice form takes first: ReportChoiceForm(user, data).
            required = parameter.default is parameter.empty
            if required and (parameter.kind is parameter.KEYWORD_ONLY or name == "user"):
                wanted[name] = pool[name]
    return wanted


def _value(field: forms.Field, year: int) -> Any:
    if isinstance(field, forms.DateTimeField):
        return datetime.datetime(year, 6, 1, 12, 0)
    if isinstance(field, forms.DateField):
        return datetime.date(year, 6, 1)
    return f"{year:04d}"


def test_the_walk_finds_the_date_forms() -> None:
    names = {c.__name__ for c in DATE_FORMS}
    assert {"BreachForm", "ContactForm", "DocumentForm", "ParticipantForm", "TaskForm"} <= names


@pytest.mark.parametrize("year", [1, 1899, 2101, 9999])
@pytest.mark.parametrize("form_class", DATE_FORMS, ids=lambda c: c.__qualname__)
def test_every_date_field_of_every_form_refuses_absurd_years(
    form_class: type[Any], year: int, demo: DemoNetwork
) -> None:
    for name in _date_fields(form_class):
        field = form_class.base_fields[name]
        form = form_class(data={name: _value(field, year)}, **_arguments(form_class, demo))
        with translation.override("de"):
            assert not form.is_valid()
            errors = form.errors.as_data().get(name, [])
            assert errors, (name, "accepted")
            # A form's own rule ("not in the future") may speak first; otherwise the range.
            own_rule = any(e.code != "year_range" for e in errors)
            assert own_rule or "zwischen den Jahren 1900 und 2100" in str(form.errors[name])


@pytest.mark.parametrize("form_class", DATE_FORMS, ids=lambda c: c.__qualname__)
def test_dates_within_the_range_pass_the_year_check(form_class: type[Any], demo: DemoNetwork) -> None:
    for name in _date_fields(form_class):
        field = form_class.base_fields[name]
        form = form_class(data={name: _value(field, 2020)}, **_arguments(form_class, demo))
        form.is_valid()
        assert not any(e.code == "year_range" for e in form.errors.as_data().get(name, []))


def _text_fields(form: forms.BaseForm) -> list[str]:
    return [name for name, field in form.fields.items() if text_limit(field) is not None]


def _built(form_class: type[Any], demo: DemoNetwork, data: dict[str, Any] | None) -> forms.BaseForm:
    if issubclass(form_class, AuthenticationForm):
        return form_class(None, data=data)
    return form_class(data=data, **_arguments(form_class, demo))


TEXT_FORMS = [
    c for c in product_forms() if any(isinstance(f, forms.CharField) for f in c.base_fields.values())
]


@pytest.mark.parametrize("form_class", TEXT_FORMS, ids=lambda c: c.__qualname__)
def test_every_text_field_of_every_form_refuses_overlong_text(
    form_class: type[Any], demo: DemoNetwork
) -> None:
    names = _text_fields(_built(form_class, demo, None))
    assert names
    for name in names:
        limit = text_limit(_built(form_class, demo, None).fields[name])
        assert limit is not None and limit <= TEXT_MAX_LENGTH, name
        form = _built(form_class, demo, {name: "a" * (limit + 1)})
        assert not form.is_valid()
        assert name in form.errors, (name, "accepted", limit + 1)


def test_overlong_text_is_refused_with_the_limit_next_to_the_field(login: Any, demo: DemoNetwork) -> None:
    case = Case.objects.filter(case_manager=demo.users["cm_a"]).first()
    assert case is not None
    with translation.override("de"):
        form = ContactForm(data={"note": "ä" * (TEXT_MAX_LENGTH + 1)}, case=case)
        assert not form.is_valid()
        assert "höchstens 10000 Zeichen" in str(form.errors["note"])
        assert form.fields["note"].widget.attrs["maxlength"] == str(TEXT_MAX_LENGTH)
