"""Case documents: upload, change of details, access-checked download, deletion with
confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from bruecke.cases.forms.documents import DocumentEditForm, DocumentForm
from bruecke.cases.selectors import cases as selectors
from bruecke.cases.selectors import documents as document_selectors
from bruecke.cases.services import documents as services
from bruecke.cases.views.common import acting_user
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read
from bruecke.core.uploads import content_type_of
from bruecke.core.views_helpers import edit_page, model_data


@login_required
def document_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk, Perm.RECORD_CASE_WORK)
    form = DocumentForm(request.POST or None, request.FILES or None, case=case)
    return edit_page(
        request,
        form=form,
        save=lambda: services.document_upload(
            actor=acting_user(request), document=form.instance, upload=form.cleaned_data["scan_file"]
        ),
        success=lambda document: (
            reverse("cases:detail", args=[case.pk]) + "?section=documents#documents-heading"
        ),
        title=_("Upload a document for %(name)s") % {"name": case.participant.full_name},
        template="cases/document_form.html",
        context={"cancel_url": reverse("cases:detail", args=[case.pk])},
        shows=case,
    )


@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_selectors.document_get(request.user, pk, Perm.RECORD_CASE_WORK)
    form = DocumentEditForm(request.POST or None, instance=document)
    case_url = reverse("cases:detail", args=[document.case_id])
    return edit_page(
        request,
        form=form,
        save=lambda: services.document_update(
            actor=acting_user(request),
            document=document,
            data=model_data(form),
            expected_version=form.loaded_version,
        ),
        success=lambda saved: case_url + "?section=documents#documents-heading",
        title=_("Change document details"),
        context={"cancel_url": case_url},
    )


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """The scan, only for readers of the case, always as a download of its real type."""
    document = document_selectors.document_get(request.user, pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    audit_read(actor=acting_user(request), obj=document)
    head = handle.read(16)
    handle.seek(0)
    response = FileResponse(handle, as_attachment=True, filename=document.download_name)
    response["Content-Type"] = content_type_of(head)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes (editors of the case only)."""
    document = document_selectors.document_get(request.user, pk, Perm.RECORD_CASE_WORK)
    case_url = reverse("cases:detail", args=[document.case_id])
    if request.method == "POST":
        services.document_delete(actor=acting_user(request), document=document)
        messages.success(request, _("The document has been deleted."))
        return redirect(case_url + "?section=documents#documents-heading")
    audit_read(actor=acting_user(request), obj=document)
    context = {
        "document": document,
        "case": document.case,
        "title": _("Delete document"),
        "cancel_url": case_url,
    }
    return render(request, "cases/document_delete.html", context)
