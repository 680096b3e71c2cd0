"""Persona × URL expectations for the spreadsheets app: imports (merged into tests/access_expectations.py)."""

from __future__ import annotations

from bruecke.core.access import ROLE_PERMISSIONS
from bruecke.network.demo import PERSONAS as DEMO_PERSONAS
from bruecke.network.models import Role
from bruecke.spreadsheets import registry
from tests.access_expectations_base import ANON, LOGIN_REDIRECT, Expect

# The import template: any member whose role may import at least one registered entity
# type (the set grows as entity types are registered); everyone else 404.
_ROLES = {key: role for key, (_u, _f, _l, _p, _t, role) in DEMO_PERSONAS.items()} | {
    "ruppin.admin": Role.ADMINISTRATOR
}
_IMPORT_PERMS = {entity.permission for entity in registry.all_entities()}
TEMPLATE_DOWNLOADERS = {ANON: LOGIN_REDIRECT} | {
    persona: 200 for persona, role in _ROLES.items() if ROLE_PERMISSIONS[role] & _IMPORT_PERMS
}

EXPECTATIONS: dict[str, Expect] = {
    "spreadsheets:import_template": Expect(default=404, statuses=TEMPLATE_DOWNLOADERS, is_page=False),
}
