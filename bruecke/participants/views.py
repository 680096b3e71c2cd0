"""Participant list and search, intake with duplicate warning, participant page."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bruecke.accounts.models import User
from bruecke.cases.selectors.cases import participant_cases
from bruecke.cases.selectors.summary import summary_header
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read, audit_read_all
from bruecke.core.forms import add_service_errors
from bruecke.core.submission import save_once
from bruecke.core.uploads import content_type_of
from bruecke.core.views_helpers import MAX_ID, edit_page, model_data, paginate, replay_redirect
from bruecke.dedupe import intake
from bruecke.dedupe.intake import Candidate
from bruecke.esf.selectors import entry_panel
from bruecke.network.models import Organisation, Team
from bruecke.offers.views.pathways import section_context as pathway_section
from bruecke.participants import info_sheet as info
from bruecke.participants import selectors, services
from bruecke.participants.forms import (
    ConsentForm,
    IntakeForm,
    OptionalResidenceStatusForm,
    ParticipantForm,
    ResidenceStatusForm,
    SearchForm,
)
from bruecke.participants.info_sheet import RTL_LANGUAGES
from bruecke.participants.models import (
    LANGUAGE_CHOICES,
    EligibilityVerdict,
    InfoSheetLanguage,
    Participant,
    ResidenceStatusType,
)
from bruecke.participants.selectors import ParticipantFilter
from bruecke.projects.eligibility import evaluate
from bruecke.rules.summary import work_summary

SEARCH_SESSION_KEY = "participant_searches"
MAX_STORED_SEARCHES = 20


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _stored_search(request: HttpRequest) -> str:
    """The search text behind the opaque token in the URL (names never travel in URLs)."""
    token = request.GET.get("s", "")
    return str(request.session.get(SEARCH_SESSION_KEY, {}).get(token, "")) if token else ""


@login_required
@require_POST
def participant_search(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.VIEW_PERSONAL_DATA)
    form = SearchForm(request.POST)
    if not form.is_valid():
        return redirect("participants:list")
    token = secrets.token_urlsafe(12)
    searches = dict(list(request.session.get(SEARCH_SESSION_KEY, {}).items())[-(MAX_STORED_SEARCHES - 1) :])
    searches[token] = form.cleaned_data["q"]
    request.session[SEARCH_SESSION_KEY] = searches
    return redirect(f"{reverse('participants:list')}?s={token}")


def list_filter(query: Mapping[str, str], search: str) -> ParticipantFilter:
    """The list's filter from its query string (the page and its export share it)."""
    status = query.get("status", "")
    eligibility = query.get("eligibility", "")
    team = query.get("team", "")
    team_id = int(team) if team.isascii() and team.isdigit() and len(team) <= len(str(MAX_ID)) else 0
    return ParticipantFilter(
        search=search,
        team_id=team_id if 0 < team_id <= MAX_ID else None,
        status=status if status in ResidenceStatusType.values else "",
        expiring=query.get("expiring") == "1",
        eligibility=eligibility if eligibility in EligibilityVerdict.values else "",
        incomplete_esf=query.get("incomplete_esf") == "1",
    )


def _filter_from(request: HttpRequest) -> ParticipantFilter:
    return list_filter(request.GET, _stored_search(request))


# Sortable columns of the list: the key in the URL (`?o=born`, `?o=-born`) and the ordering.
LIST_ORDERINGS = {
    "name": ("latin_name", "id"),
    "born": ("birth_year", "birth_month", "birth_day", "latin_name", "id"),
    "valid": ("current_valid_until", "latin_name", "id"),
}


def list_ordering(query: Mapping[str, str]) -> tuple[str, bool]:
    """The sort column and whether it runs descending; by name ascending unless asked."""
    key = query.get("o", "")
    descending = key.startswith("-")
    key = key.removeprefix("-")
    return (key, descending) if key in LIST_ORDERINGS else ("name", False)


def list_order_by(sort: str, descending: bool) -> list[str]:
    return [f"-{f}" if descending and f != "id" else f for f in LIST_ORDERINGS[sort]]


def list_queryset(
    user: User | Any, selected: ParticipantFilter, ordering: list[str]
) -> QuerySet[Participant]:
    """The list's participants in the chosen order (a name search finds all matches first)."""
    queryset = selectors.participant_list(user, selected, timezone.localdate())
    if selectors.searches_names(selected):
        return queryset.order_by(*selectors.matches_first(ordering))
    return queryset.order_by(*ordering)


def _ordering_from(request: HttpRequest) -> tuple[str, bool]:
    return list_ordering(request.GET)


@login_required
def participant_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.VIEW_PERSONAL_DATA)
    selected = _filter_from(request)
    sort, descending = _ordering_from(request)
    ordering = list_order_by(sort, descending)
    queryset = list_queryset(request.user, selected, ordering)
    # The page's ids first: a search finds and sorts them in indexes alone.
    page = paginate(request, queryset, ids_first=True)
    audit_read_all(actor=_user(request), objs=page)  # a search's results are a read of each
    query = request.GET.copy()
    query.pop("page", None)
    unsorted = query.copy()
    unsorted.pop("o", None)
    columns = {
        key: {
            "url": "?"
            + "&".join(
                p
                for p in (unsorted.urlencode(), f"o={'-' if key == sort and not descending else ''}{key}")
                if p
            ),
            "sort": ("descending" if descending else "ascending") if key == sort else "",
        }
        for key in LIST_ORDERINGS
    }
    teams = Team.objects.filter(
        pk__in={
            m.team_id for m in access.memberships_with(request.user, Perm.VIEW_PERSONAL_DATA) if m.team_id
        }
    )
    context = {
        "page": page,
        "query": query.urlencode(),
        "selected": selected,
        "search_form": SearchForm(initial={"q": selected.search}),
        "teams": teams,
        "statuses": ResidenceStatusType.choices,
        "verdicts": EligibilityVerdict.choices,
        "can_register": access.has_perm(request.user, Perm.EDIT_PARTICIPANTS),
        "columns": columns,
        "sort": f"{'-' if descending else ''}{sort}",
        "today": timezone.localdate(),
        "expiry_notice_until": timezone.localdate() + selectors.EXPIRY_NOTICE,
    }
    return render(request, "participants/list.html", context)


@login_required
def participant_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.EDIT_PARTICIPANTS)
    form = IntakeForm(request.POST or None, user=_user(request))
    residence = OptionalResidenceStatusForm(request.POST or None, prefix="rs")
    candidates: list[Candidate] = []
    if request.method == "POST" and (replayed := replay_redirect(request)) is not None:
        return replayed
    if request.method == "POST":
        valid = form.is_valid()
        valid = (residence.is_empty() or residence.is_valid()) and valid
        if valid:
            candidates = _duplicate_candidates(request, form)
            if not candidates or form.cleaned_data["confirmed_new"]:
                target = _intake_save(request, form, residence)
                if target is not None:
                    messages.success(request, _("The participant has been registered."))
                    return redirect(target)
    context = {"form": form, "residence_form": residence, "candidates": candidates}
    status = 400 if request.method == "POST" else 200
    return render(request, "participants/intake.html", context, status=status)


def _duplicate_candidates(request: HttpRequest, form: IntakeForm) -> list[Candidate]:
    """Registrations in the user's scope that the network's model takes for the same
    person as the one being registered (the form is valid)."""
    organisation = form.membership().organisation
    form.instance.organisation = organisation
    return intake.candidates(
        request.user, form.instance, spellings=form.spellings(), network_id=organisation.network_id
    )


def _intake_save(
    request: HttpRequest, form: IntakeForm, residence: OptionalResidenceStatusForm
) -> str | None:
    """Registers the person once per rendered form; the address of the new record, or None."""
    membership = form.membership()
    participant = form.instance
    participant.organisation = membership.organisation
    participant.team = membership.team
    try:
        return save_once(
            request,
            lambda: services.participant_create(
                actor=_user(request),
                participant=participant,
                variants=form.spellings(),
                residence=None if residence.is_empty() else residence.instance,
            ),
            lambda created: reverse("participants:detail", args=[created.pk]),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@login_required
def participant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    participant = selectors.participant_get(request.user, pk)
    audit_read(actor=_user(request), obj=participant)
    statuses = list(participant.residence_statuses.all())
    today = timezone.localdate()
    context: dict[str, Any] = {
        "participant": participant,
        "variants": participant.name_variants.all(),
        "statuses": statuses,
        "work_summary": work_summary(participant, statuses, today),
        "consents": participant.consents.select_related("recorded_by", "revoked_by").prefetch_related(
            "shared_with"
        ),
        "sheet_languages": InfoSheetLanguage.choices,
        "history": selectors.participant_history(participant)[:50],
        "eligibility": evaluate(participant, on=participant.entry_date),
        "cases": participant_cases(request.user, participant.pk),
        "other_languages": [
            dict(LANGUAGE_CHOICES).get(code, code)
            for code in participant.other_languages
            if isinstance(code, str)
        ],
        "esf_entry": entry_panel(participant),
        "can_edit": access.has_perm(request.user, Perm.EDIT_PARTICIPANTS)
        and selectors.participants_visible_to(request.user, Perm.EDIT_PARTICIPANTS).filter(pk=pk).exists(),
        "today": today,
        "summary": summary_header(request.user, participant, today=today, statuses=statuses),
        "pathways": pathway_section(request, participant),
    }
    return render(request, "participants/detail.html", context)


@login_required
def participant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    participant = selectors.participant_get(request.user, pk, Perm.EDIT_PARTICIPANTS)
    form = ParticipantForm(request.POST or None, instance=participant)
    return edit_page(
        request,
        form=form,
        save=lambda: services.participant_update(
            actor=_user(request),
            participant=participant,
            # Saving the form is a person's check of the Latin spelling (decision 0026).
            data={
                **model_data(form),
                **form.birth_data(),
                **form.children_data(),
                "latin_spelling_confirmed": True,
            },
            variants=form.spellings(),
            expected_version=form.loaded_version,
        ),
        success=lambda p: reverse("participants:detail", args=[p.pk]),
        title=_("Edit participant"),
        context={"cancel_url": reverse("participants:detail", args=[pk])},
    )


@login_required
def residence_status_create(request: HttpRequest, pk: int) -> HttpResponse:
    participant = selectors.participant_get(request.user, pk, Perm.EDIT_PARTICIPANTS)
    form = ResidenceStatusForm(request.POST or None)
    form.instance.participant = participant
    return edit_page(
        request,
        form=form,
        save=lambda: services.residence_status_add(actor=_user(request), status=form.instance),
        success=lambda status: reverse("participants:detail", args=[pk]),
        title=_("New residence document for %(name)s") % {"name": participant.full_name},
        context={"cancel_url": reverse("participants:detail", args=[pk])},
        shows=participant,
    )


@login_required
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    participant = selectors.participant_get(request.user, pk, Perm.EDIT_PARTICIPANTS)
    form = ConsentForm(request.POST or None, request.FILES or None, participant=participant)
    return edit_page(
        request,
        form=form,
        save=lambda: services.consent_record(
            actor=_user(request),
            consent=form.instance,
            shared_with=form.cleaned_data.get("shared_with") or [],
            scan=form.cleaned_data.get("scan_file"),
        ),
        success=lambda consent: reverse("participants:detail", args=[pk]),
        title=_("Record consent of %(name)s") % {"name": participant.full_name},
        template="participants/consent_form.html",
        shows=participant,
        context={
            "cancel_url": reverse("participants:detail", args=[pk]),
            "participant": participant,
            "sheet_languages": InfoSheetLanguage.choices,
        },
    )


@login_required
@require_POST
def consent_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    consent = selectors.consent_get(request.user, pk, Perm.EDIT_PARTICIPANTS)
    try:
        services.consent_revoke(actor=_user(request), consent=consent)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The consent has been revoked. It takes effect immediately."))
    return redirect("participants:detail", pk=consent.participant_id)


@login_required
def consent_scan(request: HttpRequest, pk: int) -> FileResponse:
    """The scan, only for staff who may see the participant, always as a download."""
    consent = selectors.consent_get(request.user, pk, Perm.VIEW_PERSONAL_DATA)
    if not consent.scan:
        raise Http404
    audit_read(actor=_user(request), obj=consent)
    handle = consent.scan.open("rb")
    head = handle.read(16)
    handle.seek(0)
    response = FileResponse(handle, as_attachment=True, filename=consent.scan.name.rsplit("/", 1)[-1])
    response["Content-Type"] = content_type_of(head)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _sheet_organisation(request: HttpRequest) -> Organisation:
    """The controller the sheet names: `?organisation=` (the participant's, from the consent
    pages) if the user works there, else the user's first organisation with personal data."""
    allowed = access.memberships_with(request.user, Perm.VIEW_PERSONAL_DATA)
    if not allowed:
        raise Http404
    wanted = request.GET.get("organisation", "")
    if not wanted:
        return allowed[0].organisation
    for membership in allowed:
        if str(membership.organisation_id) == wanted:
            return membership.organisation
    raise Http404


@login_required
def info_sheet(request: HttpRequest, language: str) -> HttpResponse:
    """The information sheet in the participant's language, for printing; `?version=` shows
    the text a consent was given on. Not printed while the organisation's settings lack a
    detail Art. 13 GDPR requires: then a page says what is missing and who fills it in."""
    access.require(request.user, Perm.VIEW_PERSONAL_DATA)
    version = request.GET.get("version") or info.INFO_SHEET_VERSION
    if language not in InfoSheetLanguage.values or version not in info.VERSIONS:
        raise Http404
    organisation = _sheet_organisation(request)
    title, sections = info.render_texts(language, version)
    if version in info.WITH_ORGANISATION_DETAILS:
        missing = info.missing_details(organisation)
        if missing:
            context_missing = {
                "organisation": organisation,
                "missing": missing,
                "can_edit": access.organisations_managed_by(request.user).filter(pk=organisation.pk).exists(),
            }
            return render(request, "participants/info_sheet_missing.html", context_missing, status=409)
        sections = [*info.organisation_texts(organisation, language), *sections]
    context = {
        "language": language,
        "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
        "title": title,
        "sections": sections,
        "version": version,
    }
    return render(request, "participants/info_sheet.html", context)
