"""Sign-in, sign-out and failed sign-ins go to the audit log; a request's language ends with it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.signals import request_finished
from django.dispatch import receiver
from django.utils import translation

from qalxan.core import audit
from qalxan.core.choices import AuditAction


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(actor=user, action=AuditAction.LOGIN, target=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(actor=user, action=AuditAction.LOGOUT, target=user)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    audit.record(
        actor=None, action=AuditAction.LOGIN_FAILED, username=str(credentials.get("username", ""))[:150]
    )


@receiver(request_finished, dispatch_uid="qalxan-request-language")
def _request_finished(sender: Any, **kwargs: Any) -> None:
    """Drop the language `LanguageMiddleware` activated for the request once its response is closed
    (after a streamed export's last row), so that what the thread does next is not in it."""
    translation.deactivate()
