from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from bruecke.core import access
from bruecke.core.access import Perm


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Which navigation entries the user gets (the views check again on access)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "nav": {
            "network": access.has_perm(user, Perm.VIEW_NETWORK),
            "rules": access.has_perm(user, Perm.VIEW_NETWORK),
            "participants": access.has_perm(user, Perm.VIEW_PERSONAL_DATA),
            "tasks": access.has_perm(user, Perm.VIEW_PERSONAL_DATA),
            "manage": access.has_perm(user, Perm.MANAGE_NETWORK),
            "audit": access.has_perm(user, Perm.VIEW_AUDIT),
            "breaches": access.has_perm(user, Perm.MANAGE_BREACHES),
            "mobile": access.has_perm(user, Perm.EDIT_PARTICIPANTS),
            "caseload": access.has_perm(user, Perm.VIEW_PERSONAL_DATA),
        }
    }
