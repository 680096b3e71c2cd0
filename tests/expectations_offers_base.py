"""Who sees the offers app's pages (shared by tests/expectations_offers_*.py)."""

from __future__ import annotations

from tests.access_expectations_base import ANON, LOGIN_REDIRECT

# The network's offers (catalogue, group offers, trainings, events, cooperation partners):
# every partner's staff who work with participants, and the network coordinator.
OFFER_READERS = {
    ANON: LOGIN_REDIRECT,
    "cm_a": 200,
    "po_a": 200,
    "cm_b": 200,
    "team_lead": 200,
    "user_c": 200,
    "coordinator": 200,
}
# Records of the offers for their own organisation: the same staff without the coordinator.
OFFER_WRITERS = {ANON: LOGIN_REDIRECT, "cm_a": 200, "po_a": 200, "cm_b": 200, "team_lead": 200, "user_c": 200}
# A record of partner A: changed by partner A's staff who record offers.
OWN_WRITERS_A = {ANON: LOGIN_REDIRECT, "cm_a": 200, "po_a": 200, "team_lead": 200}
# Case records of partner A's demo case (referrals, pathways): seen by partner A's team,
# recorded by its case manager and team lead (and the placement officer on assigned cases).
CASE_READERS_A = {ANON: LOGIN_REDIRECT, "cm_a": 200, "po_a": 200, "team_lead": 200}
CASE_WRITERS_A = {ANON: LOGIN_REDIRECT, "cm_a": 200, "team_lead": 200}
