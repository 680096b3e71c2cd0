"""E-mails that tell staff, out of band, that their sign-in details changed, and tell an
organisation's administrators and data-protection officers that someone was given access
to its personal data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from bruecke.accounts.models import User

if TYPE_CHECKING:
    from bruecke.network.models import Membership

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


def notify_role_granted(membership: Membership, granted_by: User | None) -> None:
    """After commit: one e-mail to each active administrator and data-protection officer of
    the membership's organisation (each in their own language), so that a grant nobody
    there intended is noticed at once."""
    from bruecke.network.models import Membership, Role

    membership_pk = membership.pk
    granted_by_pk = granted_by.pk if granted_by is not None else None

    def send() -> None:
        granted = Membership.objects.select_related("user", "organisation", "team").get(pk=membership_pk)
        actor = User.objects.filter(pk=granted_by_pk).first() if granted_by_pk else None
        watchers = Membership.objects.filter(
            organisation_id=granted.organisation_id,
            role__in=[Role.ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER],
            ended_on__isnull=True,
            user__is_active=True,
        ).exclude(user__email="")
        # The person granted knows already (and may be the one to watch).
        watchers = watchers.exclude(user_id=granted.user_id)
        for person in User.objects.filter(pk__in=watchers.values("user_id")).order_by("pk"):
            with translation.override(person.language):
                context = {"user": person, "membership": granted, "granted_by": actor}
                subject = render_to_string("accounts/role_granted_subject.txt", context).strip()
                body = render_to_string("accounts/role_granted_email.txt", context)
            send_mail(subject, body, None, [person.email])

    transaction.on_commit(send)
