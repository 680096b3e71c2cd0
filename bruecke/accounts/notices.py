"""E-mails that tell staff, out of band, that their sign-in details changed."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from bruecke.accounts.models import User

# What changed: the second factor (reset, set up, new recovery codes) or the password.
EVENTS = frozenset({"reset", "enrolled", "codes_renewed", "password_changed"})


def notify(user: User, event: str) -> None:
    """Sends the notice once the surrounding transaction has committed."""
    assert event in EVENTS, event
    if not user.email:
        return
    user_pk = user.pk

    def send() -> None:
        person = User.objects.get(pk=user_pk)
        with translation.override(person.language):
            context = {"user": person, "event": event}
            subject = render_to_string("accounts/account_notice_subject.txt", context).strip()
            body = render_to_string("accounts/account_notice_email.txt", context)
        send_mail(subject, body, None, [person.email])

    transaction.on_commit(send)
