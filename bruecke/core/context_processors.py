from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bruecke.core import access
from bruecke.core.access import Perm


@dataclass(frozen=True)
class NavEntry:
    key: str
    url_name: str
    label: str | Promise
    perm: Perm | None
    # URL namespaces (or "namespace:url_name") whose pages count as this entry's section.
    sections: tuple[str, ...] = ()
    # Instead of `perm`, for entries no single permission decides.
    check: Callable[[Any], bool] | None = None

    def allows(self, user: Any) -> bool:
        if self.check is not None:
            return self.check(user)
        return self.perm is None or access.has_perm(user, self.perm)


def _may_import(user: Any) -> bool:
    """Whether `user` may import at least one data type (entity permission in a membership)."""
    from bruecke.spreadsheets.selectors import may_import  # the spreadsheets app builds on core

    return may_import(user)


# In the order of the header; each role sees only the entries it may use.
NAV_ENTRIES = (
    NavEntry("dashboard", "core:dashboard", _("My day"), None, ("core:dashboard",)),
    NavEntry(
        "participants",
        "participants:list",
        _("Participants"),
        Perm.VIEW_PERSONAL_DATA,
        ("participants", "esf", "projects", "cases"),
    ),
    NavEntry(
        "caseload",
        "cases:caseload",
        _("Caseload"),
        Perm.VIEW_PERSONAL_DATA,
        ("cases:caseload", "cases:caseload_stale"),
    ),
    NavEntry("tasks", "cases:task_list", _("Tasks"), Perm.VIEW_PERSONAL_DATA, ("cases:task",)),
    NavEntry(
        "employers",
        "placement:employer_list",
        _("Employers"),
        Perm.VIEW_PLACEMENT,
        ("placement:employer", "placement:site"),
    ),
    NavEntry(
        "opportunities",
        "placement:opportunity_list",
        _("Opportunities"),
        Perm.VIEW_PLACEMENT,
        ("placement:opportunity",),
    ),
    NavEntry(
        "mobile",
        "cases:mobile_record",
        _("Record mobile consultation hour"),
        Perm.EDIT_PARTICIPANTS,
        ("cases:mobile_record",),
    ),
    NavEntry(
        "pipeline",
        "placement:pipeline",
        _("Pipeline"),
        Perm.VIEW_PLACEMENT,
        (
            "placement:pipeline",
            "placement:application",
            "placement:permit",
            "placement:placement",
            "placement:check_in",
        ),
    ),
    NavEntry(
        "measures",
        "offers:measure_list",
        _("Measures"),
        Perm.VIEW_OFFERS,
        ("offers:measure", "offers:provider", "offers:referral"),
    ),
    NavEntry(
        "groups",
        "offers:group_list",
        _("Group offers"),
        Perm.VIEW_OFFERS,
        ("offers:group", "offers:session", "offers:enrol"),
    ),
    NavEntry(
        "network_work",
        "offers:training_list",
        _("Network work"),
        Perm.VIEW_OFFERS,
        ("offers:training", "offers:event", "offers:partner"),
    ),
    NavEntry("reports", "reporting:index", _("Reports"), Perm.VIEW_AGGREGATES, ("reporting",)),
    NavEntry(
        "network",
        "network:network_page",
        _("Network"),
        Perm.VIEW_NETWORK,
        ("network:network_page", "network:site_detail"),
    ),
    NavEntry("rules", "rules:overview", _("Work-permission rules"), Perm.VIEW_NETWORK, ("rules",)),
    NavEntry(
        "manage",
        "network:manage",
        _("Network administration"),
        Perm.MANAGE_NETWORK,
        (
            "network:manage",
            "network:organisation",
            "network:office",
            "network:team",
            "network:site_create",
            "network:site_edit",
            "network:hour",
        ),
    ),
    NavEntry(
        "staff",
        "network:staff_list",
        _("Staff"),
        Perm.MANAGE_NETWORK,
        ("network:staff", "network:membership"),
    ),
    NavEntry("duplicates", "dedupe:review", _("Duplicates"), Perm.REVIEW_DUPLICATES, ("dedupe",)),
    NavEntry("audit", "core:audit_log", _("Audit log"), Perm.VIEW_AUDIT, ("core:audit_log",)),
    NavEntry(
        "breaches", "privacy:breach_list", _("Data breaches"), Perm.MANAGE_BREACHES, ("privacy:breach",)
    ),
    NavEntry(
        "imports",
        "spreadsheets:import_upload",
        _("Import data"),
        None,
        ("spreadsheets:import",),
        check=_may_import,
    ),
    NavEntry("jobs", "jobs:list", _("My jobs"), None, ("jobs",)),
)


def _match_strength(request: HttpRequest, sections: tuple[str, ...]) -> int:
    """2 when a named page (or its prefix) matches, 1 when only the namespace does."""
    match = request.resolver_match
    if match is None:
        return 0
    view = f"{match.namespace}:{match.url_name}"
    if any(view == s or view.startswith(f"{s}_") for s in sections if ":" in s):
        return 2
    return 1 if match.namespace in sections else 0


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The header: which navigation entries the user gets (the views check again on access)."""
    context: dict[str, Any] = {
        "imprint_url": settings.IMPRINT_URL,
        "privacy_notice_url": settings.PRIVACY_NOTICE_URL,
    }
    user = request.user
    if not user.is_authenticated:
        return context
    allowed = {entry.key: entry.allows(user) for entry in NAV_ENTRIES}
    shown = [e for e in NAV_ENTRIES if allowed[e.key]]
    strengths = [_match_strength(request, e.sections) for e in shown]
    best = max(strengths, default=0)
    items = [
        {
            "key": e.key,
            "url": reverse(e.url_name),
            "label": e.label,
            "current": best > 0 and s == best and s not in strengths[:i],
        }
        for i, (e, s) in enumerate(zip(shown, strengths, strict=True))
    ]
    roles = access.memberships(user)
    return context | {
        "nav": allowed,
        "nav_items": items,
        "nav_current": "settings" if _match_strength(request, ("accounts",)) else "",
        "role_in_use": roles[0] if roles else None,
        "more_roles": len(roles) - 1 if roles else 0,
    }
