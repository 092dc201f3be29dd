"""What the audit trail hears without being called: logins and admin writes.

Admin writes arrive through Django's LogEntry (every ModelAdmin add/change/delete and the
actions that log), so each admin keeps writing its own log and the trail copies it.
"""

from __future__ import annotations

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import client_ip, record
from .audit_models import AuditAction

_ADMIN_ACTIONS = {
    ADDITION: AuditAction.ADMIN_ADD,
    CHANGE: AuditAction.ADMIN_CHANGE,
    DELETION: AuditAction.ADMIN_DELETE,
}


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs) -> None:
    record(action=AuditAction.LOGIN, user=user, ip=client_ip(request))


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(action=AuditAction.LOGOUT, user=user, ip=client_ip(request))


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Never the password: only the name that was tried.
    username = str(credentials.get("username", ""))[:150]
    record(action=AuditAction.LOGIN_FAILED, username=username, ip=client_ip(request))


def _record_log_entry(entry: LogEntry) -> None:
    content_type = entry.content_type
    record(
        action=_ADMIN_ACTIONS.get(entry.action_flag, AuditAction.ADMIN_CHANGE),
        user=entry.user,
        object_type=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        object_id=entry.object_id or "",
        object_repr=entry.object_repr,
        detail=entry.get_change_message(),
    )


def _install_log_entry_hook() -> None:
    """Every admin write goes through LogEntryManager.log_actions (Django 5.1+), which
    bulk-creates several entries without post_save: the trail wraps that one door."""
    manager_class = type(LogEntry.objects)
    if getattr(manager_class.log_actions, "_audited", False):
        return
    original = manager_class.log_actions

    def log_actions(self, user_id, queryset, action_flag, change_message="", **kwargs):
        result = original(self, user_id, queryset, action_flag, change_message, **kwargs)
        for entry in result if isinstance(result, list) else [result]:
            _record_log_entry(entry)
        return result

    log_actions._audited = True
    manager_class.log_actions = log_actions


_install_log_entry_hook()
