"""Reading the documents of a case."""

from __future__ import annotations

from django.db.models import QuerySet

from bruecke.cases.models import Case, CaseDocument
from bruecke.cases.selectors.cases import AnyUser, cases_visible_to
from bruecke.core import access
from bruecke.core.access import Perm


def case_documents(case: Case) -> QuerySet[CaseDocument]:
    return case.documents.select_related("uploaded_by")


def document_get(user: AnyUser, pk: object, perm: Perm = Perm.VIEW_PERSONAL_DATA) -> CaseDocument:
    """A document of a case the user may see (or edit, for `perm`); anything else is 404."""
    queryset = CaseDocument.objects.filter(case__in=cases_visible_to(user, perm)).select_related(
        "case__participant", "case__organisation", "case__case_manager"
    )
    return access.get_or_404(queryset, pk=pk)
