"""Writes about a staff member's own account: sign-in events, password, language."""

from __future__ import annotations

from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from bruecke.accounts import notices
from bruecke.accounts.models import User
from bruecke.accounts.sessions import end_sessions
from bruecke.accounts.throttle import username_key
from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction
from bruecke.core.services import model_update


def login_succeeded(*, user: User) -> None:
    audit_record(actor=user, action=AuditAction.LOGIN, obj=user)


def login_failed(*, username: str) -> None:
    audit_record(
        actor=AnonymousUser(),
        action=AuditAction.LOGIN_FAILED,
        object_type="accounts.login",
        object_id=username_key(username),
    )


def login_throttled(*, username: str) -> None:
    audit_record(
        actor=AnonymousUser(),
        action=AuditAction.LOGIN_THROTTLED,
        object_type="accounts.login",
        object_id=username_key(username),
    )


def other_sessions_end(*, user: User, current_key: str) -> int:
    """Signs the person out on every other device (their choice, e.g. a shared PC)."""
    ended = end_sessions(user.pk, keep=current_key)
    audit_record(actor=user, action=AuditAction.SESSIONS_ENDED, obj=user)
    return ended


def logged_out(*, user: User) -> None:
    audit_record(actor=user, action=AuditAction.LOGOUT, obj=user)


@transaction.atomic
def password_set(*, actor: User, form: SetPasswordForm) -> User:  # type: ignore[type-arg]
    """Saves a new password (change or first set-up) and audits it, never the value. A
    change (not the first password of an invitation) is also e-mailed to the person."""
    changed = form.user.has_usable_password()
    user: User = form.save()
    audit_record(actor=actor, action=AuditAction.PASSWORD_CHANGE, obj=user, changed_fields=["password"])
    if changed:
        notices.notify(user, "password_changed")
    return user


def user_set_language(*, actor: User, user: User, language: str) -> User:
    updated, _changed = model_update(actor=actor, instance=user, data={"language": language})
    return updated
