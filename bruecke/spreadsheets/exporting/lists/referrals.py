"""The referral list (offers:referral_list) with its filters."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bruecke.accounts.models import User
from bruecke.cases.models import Case
from bruecke.core.access import Perm
from bruecke.offers.models import Referral
from bruecke.participants.models import Participant
from bruecke.reporting.tables import Cell
from bruecke.spreadsheets.exporting.fields import model_column, number_column
from bruecke.spreadsheets.exporting.registry import Column, ExportContext, ListExport, register, with_perm


def _rows(user: User, query: Mapping[str, str], today: datetime.date) -> QuerySet[Referral]:
    from bruecke.offers.views.referrals import listed_referrals

    return listed_referrals(user, dict(query), today)[1].select_related("to_organisation")


def _summary(row: Referral, context: ExportContext) -> Cell | bool:
    # The summary was written by the referring organisation: only its own staff export it.
    if row.organisation_id not in context.organisation_ids(Perm.RECORD_CASE_WORK):
        return None
    return row.summary or None


REFERRALS = register(
    ListExport(
        key="referrals",
        title=_("Referrals"),
        record_type=Referral,
        page="offers:referral_list",
        may_export=with_perm(Perm.VIEW_OFFERS),
        query_keys=("show", "status", "kind", "mine"),
        rows=_rows,
        columns=(
            number_column(_("referral number")),
            number_column(_("case number"), "case_id"),
            number_column(_("participant number"), "case.participant_id"),
            model_column(Referral, "case.participant.family_name", label=_("family name")),
            model_column(Referral, "case.participant.given_names", label=_("given names")),
            model_column(Referral, "measure"),
            model_column(Referral, "measure.provider"),
            model_column(Referral, "to_organisation"),
            model_column(Referral, "status"),
            model_column(Referral, "status_on"),
            model_column(Referral, "referred_on"),
            model_column(Referral, "expected_start_on"),
            model_column(Referral, "started_on"),
            model_column(Referral, "planned_end_on"),
            model_column(Referral, "ended_on"),
            model_column(Referral, "feedback_due_on"),
        ),
        notes=(Column("summary", _("summary for the partner"), _summary),),
        may_read_notes=with_perm(Perm.RECORD_CASE_WORK),
        names=((Case, "case_id"), (Participant, "case.participant_id")),
    )
)
