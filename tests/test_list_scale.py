"""Lists at scale: counts stop at a limit, queries per page stay constant, and the
participant list's faster SQL shows the same participants in the same order (decision 0068)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bruecke.accounts.models import User
from bruecke.core import access, views_helpers
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Membership
from bruecke.participants import names, selectors
from bruecke.participants.demo import generate
from bruecke.participants.models import NameKey, Participant
from bruecke.participants.views import list_order_by, list_queryset

pytestmark = pytest.mark.django_db

LIST = "participants:list"


def _search_url(client: Client, query: str) -> str:
    return str(client.post(reverse("participants:search"), {"q": query})["Location"])


def _shown(client: Client, url: str, **params: str) -> list[int]:
    return [p.pk for p in client.get(url, params).context["page"]]


# --- the capped count ---


def test_a_long_list_says_more_than_the_limit_and_pages_on(
    login: Callable[[str], Client], demo: DemoNetwork, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(demo, 40, seed=7)
    client = login("cm_a")
    url = reverse(LIST)
    total = Participant.objects.filter(access.participant_filter(demo.users["cm_a"])).count()
    monkeypatch.setattr(views_helpers, "COUNT_LIMIT", 5)
    monkeypatch.setattr("bruecke.participants.views.paginate", _paginate_by(3))
    assert total > 5 + 3  # more than the limit and a page beyond it
    first = client.get(url)
    body = first.content.decode()
    assert first.context["page"].paginator.capped
    assert "mehr als 5 Teilnehmende" in body and "Seite 1</span>" in body and 'rel="next"' in body
    # Paging past the limit works: every participant comes once, in name order.
    seen: list[int] = []
    for number in range(1, total // 3 + 2):
        seen += _shown(client, url, page=str(number))
    ordered = Participant.objects.filter(access.participant_filter(demo.users["cm_a"])).order_by(
        "latin_name", "id"
    )
    assert seen == list(ordered.values_list("pk", flat=True))
    last = client.get(url, {"page": str(total // 3 + 1)})
    assert 'rel="next"' not in last.content.decode()
    # A page past the end shows the last page, as before.
    beyond = client.get(url, {"page": "999"})
    assert [p.pk for p in beyond.context["page"]] == seen[(total - 1) // 3 * 3 :]
    assert _shown(client, url, page="x") == seen[:3]


def _paginate_by(size: int) -> Callable[..., Any]:
    def paginate(request: Any, queryset: Any, per_page: int = size, **options: Any) -> Any:
        return views_helpers.paginate(request, queryset, size, **options)

    return paginate


def test_a_short_list_keeps_its_exact_count(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    response = login("cm_a").get(reverse(LIST))
    page = response.context["page"]
    visible = Participant.objects.filter(access.participant_filter(demo.users["cm_a"])).count()
    assert not page.paginator.capped and page.paginator.count == visible
    assert f"{visible} Teilnehmende" in response.content.decode()


def test_a_filter_that_matches_nothing_still_says_so(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    client = login("cm_a")
    response = client.get(_search_url(client, "Zzyzxqwv"))
    assert list(response.context["page"]) == []
    assert "Keine Teilnehmenden gefunden." in response.content.decode() or "0 Teilnehmende" in (
        response.content.decode()
    )
    body = client.get(reverse(LIST), {"status": "duldung_60b", "expiring": "1"}).content.decode()
    assert "0 Teilnehmende" in body and "mehr als" not in body


# --- constant query counts ---


@pytest.mark.parametrize("query", ["", "Mohammed", "moha al", "Schewtschenko 1987", "al"])
def test_list_and_search_query_counts_do_not_grow(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., Any], query: str
) -> None:
    client = login("cm_a")
    counts: list[int] = []
    for more in (10, 50):  # 10, then 60 generated participants
        generate(demo, more, seed=more)
        url = _search_url(client, query) if query else reverse(LIST)
        client.get(url)  # warm-up: the first request may load sessions and caches
        with count_queries() as ctx:
            assert client.get(url).status_code == 200
        counts.append(ctx.count)
    assert counts[0] == counts[1]


# --- same results as a plain reference ---


def _reference(user: Any, f: selectors.ParticipantFilter, today: datetime.date, sort: str) -> list[int]:
    """The list computed the plain way: every row of the scope, filtered and sorted in Python."""
    rows = list(Participant.objects.filter(access.participant_filter(user)).select_related("esf_entry"))
    words = f.search.split()
    keys = names.query_keys(" ".join(w for w in words if not any(c.isdigit() for c in w)))
    stored: dict[int, set[str]] = {}
    for participant_id, key in NameKey.objects.values_list("participant_id", "key"):
        stored.setdefault(participant_id, set()).add(key)

    def matches(p: Participant) -> bool:
        if keys and not all(any(k.startswith(q) for k in stored.get(p.pk, ())) for q in keys):
            return False
        if not all(_born(p, w) for w in words if any(c.isdigit() for c in w)):
            return False
        if f.team_id and p.team_id != f.team_id:
            return False
        if f.status and p.current_status != f.status:
            return False
        if f.eligibility and p.eligibility != f.eligibility:
            return False
        notice = today + selectors.EXPIRY_NOTICE
        if f.expiring and not (p.current_valid_until and today <= p.current_valid_until <= notice):
            return False
        return not f.incomplete_esf or _incomplete(p)

    chosen = [p.pk for p in rows if matches(p)]
    # The order is the database's own (collation, NULLs) applied to the plain id list.
    key, descending = sort.removeprefix("-"), sort.startswith("-")
    ordered = Participant.objects.filter(pk__in=chosen).order_by(*list_order_by(key, descending))
    return list(ordered.values_list("pk", flat=True))


def _born(p: Participant, word: str) -> bool:
    """A search word of digits: 1994, 03.1994 or 07.03.1994."""
    parts = [int(x) for x in word.replace("/", ".").split(".") if x.isdigit()]
    wanted = (p.birth_day, p.birth_month, p.birth_year)[3 - len(parts) :] if len(parts) <= 3 else ()
    return bool(parts) and parts[-1] >= 1900 and list(wanted) == parts


def _incomplete(p: Participant) -> bool:
    entry = getattr(p, "esf_entry", None)
    return (
        p.gender in ("", "not_stated")
        or entry is None
        or entry.lm_status_entry == ""
        or entry.isced_level is None
    )


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": "gestattung"},
        {"expiring": "1"},
        {"eligibility": "eligible"},
        {"incomplete_esf": "1"},
        {"search": "Mohammed"},
        {"search": "moha al"},
        {"search": "al"},
        {"search": "Schewtschenko 1987"},
        {"search": "Mohammed", "status": "gestattung"},
    ],
)
@pytest.mark.parametrize("sort", ["name", "-name", "born", "-born", "valid", "-valid"])
@pytest.mark.parametrize("persona", ["cm_a", "organisation"])
def test_list_shows_what_a_plain_filter_shows(
    demo: DemoNetwork, params: dict[str, str], sort: str, persona: str
) -> None:
    generate(demo, 60, seed=11)
    # Merged registrations are gone from every list; other partners' participants never show.
    merged = Participant.objects.filter(organisation=demo.partners["A"]).order_by("id")[:2]
    target = Participant.objects.filter(organisation=demo.partners["A"]).order_by("-id")[0]
    Participant.objects.filter(pk__in=[p.pk for p in merged]).update(merged_into=target)
    some = Participant.objects.filter(organisation=demo.partners["A"]).order_by("id")[5:9]
    Participant.objects.filter(pk__in=[p.pk for p in some]).update(
        current_valid_until=timezone.localdate() + datetime.timedelta(days=10), eligibility="eligible"
    )
    if persona == "organisation":  # a case manager without a team sees all of partner A
        Membership.objects.filter(user=demo.users["cm_a"]).update(team=None)
    user = User.objects.get(pk=demo.users["cm_a"].pk)
    assert Participant.objects.filter(access.participant_filter(user)).count() > 5
    today = timezone.localdate()
    query = {k: v for k, v in params.items() if k != "search"}
    from bruecke.participants.views import list_filter

    f = list_filter(query, params.get("search", ""))
    key, descending = sort.removeprefix("-"), sort.startswith("-")
    shown = list(list_queryset(user, f, list_order_by(key, descending)).values_list("pk", flat=True))
    assert shown == _reference(user, f, today, sort)
    # The page as the list shows it (ids first, then their rows) is the start of that list.
    page = views_helpers.CappedPaginator(
        list_queryset(user, f, list_order_by(key, descending)), 7, 10_000, ids_first=True
    ).get_page(2)
    assert [p.pk for p in page] == (shown[7:14] if len(shown) > 7 else shown[:7])  # else: the last page
    assert not set(shown) & {p.pk for p in merged}
