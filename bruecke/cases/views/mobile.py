"""The mobile consultation hour screen: several contacts at one site in one save."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext

from bruecke.cases.forms.mobile import (
    DEFAULT_ROWS,
    MAX_ROWS,
    MORE_ROWS,
    BaseMobileRowFormSet,
    MobileHourForm,
    row_formset,
)
from bruecke.cases.models import ContactTopic
from bruecke.cases.selectors import mobile as selectors
from bruecke.cases.services import mobile as services
from bruecke.cases.views.common import acting_user
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read_all
from bruecke.core.forms import add_service_errors
from bruecke.core.submission import save_once
from bruecke.core.views_helpers import replay_redirect

SUMMARY_MONTHS = 3
ADD_ROWS = "add_rows"  # the "more rows" button: nothing is saved, what was typed stays
# Model fields of a saved record that the row form shows under another name.
ROW_FIELD = {"interpreter_language": "language", "date": "case", "site": "case"}


def _rows_wanted(request: HttpRequest) -> int:
    try:
        rows = int(request.GET.get("rows", DEFAULT_ROWS))
    except ValueError:
        return DEFAULT_ROWS
    return max(1, min(rows, MAX_ROWS))


def _case_label(case: Any) -> str:
    participant = case.participant
    name = ", ".join(p for p in (participant.family_name, participant.given_names) if p)
    return f"{name} ({case.opened_on:%d.%m.%Y})"


def _summary_start(today: datetime.date) -> datetime.date:
    month = today.replace(day=1)
    for _step in range(SUMMARY_MONTHS - 1):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return month


def _show_row_errors(formset: BaseMobileRowFormSet, used: list[BaseForm], error: ValidationError) -> None:
    for index, row_error in getattr(error, "rows", {}).items():
        form = used[index]
        if hasattr(row_error, "error_dict"):
            renamed: dict[str, Any] = {}
            for name, errors in row_error.error_dict.items():
                renamed.setdefault(ROW_FIELD.get(name, name), []).extend(errors)
            row_error = ValidationError(renamed)
        add_service_errors(form, row_error)


@login_required
def mobile_record(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.EDIT_PARTICIPANTS)
    user = acting_user(request)
    cases = list(selectors.open_cases_for_mobile(user))
    if request.method == "GET":  # listed by name in every row's select
        audit_read_all(actor=user, objs=cases)
    topics = list(ContactTopic.objects.filter(is_active=True))
    form_kwargs = {
        "case_choices": [(case.pk, _case_label(case)) for case in cases],
        "topic_choices": [(topic.pk, str(topic)) for topic in topics],
    }
    rows = _rows_wanted(request)
    post = request.POST if request.method == "POST" else None
    if post is not None and (replayed := replay_redirect(request)) is not None:
        return replayed
    if post is not None and ADD_ROWS in post:
        return _with_more_rows(request, user=user, form_kwargs=form_kwargs, cases=cases)
    header = MobileHourForm(post, user=user, initial={"site": request.GET.get("site")})
    formset = row_formset(rows)(post, prefix="row", form_kwargs=form_kwargs)
    if post is not None and header.is_valid() and formset.is_valid():
        used = formset.used_forms()
        by_pk = {case.pk: case for case in cases}
        topic_by_pk = {topic.pk: topic for topic in topics}
        try:
            target = save_once(
                request,
                lambda: services.mobile_hour_record(
                    actor=user,
                    site=header.cleaned_data["site"],
                    date=header.cleaned_data["date"],
                    rows=[form.to_row(by_pk, topic_by_pk) for form in used],
                ),
                lambda result: _saved(request, result, header.cleaned_data["site"].pk),
            )
        except services.RowErrors as error:
            if error.header is not None:
                add_service_errors(header, error.header)
            _show_row_errors(formset, list(used), error)
        except ValidationError as error:
            add_service_errors(header, error)
        else:
            return redirect(target)
    return _render(request, user, header, formset, cases, status=400 if post is not None else 200)


def _render(
    request: HttpRequest,
    user: Any,
    header: MobileHourForm,
    formset: BaseMobileRowFormSet,
    cases: list[Any],
    *,
    status: int,
) -> HttpResponse:
    rows = formset.total_form_count()
    site = request.GET.get("site", "")
    context = {
        "header": header,
        "formset": formset,
        "more_rows": rows < MAX_ROWS,
        "site_pk": site if site.isdigit() else "",
        "summary": selectors.anonymous_counts_by_site_month(user, _summary_start(datetime.date.today())),
        "has_cases": bool(cases),
    }
    return render(request, "cases/mobile_record.html", context, status=status)


def _typed(form: BaseForm, data: Any, prefix: str) -> dict[str, Any]:
    """What the user typed into a form, as initial values for showing it again."""
    return {
        name: field.widget.value_from_datadict(data, {}, f"{prefix}{name}")
        for name, field in form.fields.items()
    }


def _with_more_rows(
    request: HttpRequest, *, user: Any, form_kwargs: dict[str, Any], cases: list[Any]
) -> HttpResponse:
    """The same screen with more empty rows and everything typed so far (unsaved, unchecked:
    errors are shown when the user saves)."""
    post = request.POST
    try:
        typed_rows = max(0, min(int(post.get("row-TOTAL_FORMS", "0")), MAX_ROWS))
    except ValueError:
        typed_rows = 0
    header_form = MobileHourForm(user=user)
    typed_header = {k: v for k, v in _typed(header_form, post, "").items() if v not in (None, "")}
    header = MobileHourForm(user=user, initial=typed_header)
    row_form = row_formset(1)(prefix="row", form_kwargs=form_kwargs).empty_form
    initial = [_typed(row_form, post, f"row-{index}-") for index in range(typed_rows)]
    total = min(typed_rows + MORE_ROWS, MAX_ROWS)
    formset = row_formset(total)(prefix="row", form_kwargs=form_kwargs, initial=initial)
    return _render(request, user, header, formset, cases, status=200)


def _saved(request: HttpRequest, result: services.MobileHourResult, site_pk: int) -> str:
    messages.success(request, _saved_message(len(result.contacts), len(result.anonymous)))
    return f"{reverse('cases:mobile_record')}?site={site_pk}"


def _saved_message(contacts: int, anonymous: int) -> str:
    return " ".join(
        [
            ngettext("%(count)d case contact saved.", "%(count)d case contacts saved.", contacts)
            % {"count": contacts},
            ngettext(
                "%(count)d anonymous short contact saved.",
                "%(count)d anonymous short contacts saved.",
                anonymous,
            )
            % {"count": anonymous},
        ]
    )
