"""Who sees the reporting app's pages (shared by tests/expectations_reporting_*.py)."""

from __future__ import annotations

from tests.access_expectations_base import ANON, LOGIN_REDIRECT

# Figures of the network (Perm.VIEW_AGGREGATES): the team lead and the network coordinator.
REPORT_READERS = {ANON: LOGIN_REDIRECT, "team_lead": 200, "coordinator": 200}
# The lists of participants behind a number: figures readers who also see personal data.
DRILL_DOWN_READERS = {ANON: LOGIN_REDIRECT, "team_lead": 200}
# The network's projects and their targets (Perm.MANAGE_PROJECTS): the coordinator.
PROJECT_MANAGERS = {ANON: LOGIN_REDIRECT, "coordinator": 200}
