"""The e-mails of the daily run, sent after commit, each in its recipient's language.

They carry no personal data of participants: counts, dates, the organisation and a link
into Brücke, where access is checked. A mail that cannot be handed to the mail server
releases its notice, so that the next run sends it again (and this run fails visibly).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from bruecke.accounts.models import User
from bruecke.reminders.services.runs import notice_release


def link(name: str, *args: Any) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def send_on_commit(
    *, notice_pks: list[int], template: str, recipients: list[int], context: dict[str, Any]
) -> None:
    """After commit: renders `reminders/<template>_subject.txt` and `_email.txt` for each
    recipient (by user id) and sends them; on failure the notices are released."""

    def send() -> None:
        try:
            for person in User.objects.filter(pk__in=recipients).order_by("pk"):
                with translation.override(person.language):
                    personal = {**context, "user": person}
                    subject = render_to_string(f"reminders/{template}_subject.txt", personal).strip()
                    body = render_to_string(f"reminders/{template}_email.txt", personal)
                send_mail(subject, body, None, [person.email])
        except Exception:
            for notice_pk in notice_pks:
                notice_release(notice_pk=notice_pk)
            raise

    transaction.on_commit(send)


def local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment)
