"""Operational Celery tasks shared by every app."""

from celery import shared_task
from django.db import connection


@shared_task(name="common.broker_roundtrip")
def broker_roundtrip(token: str) -> dict:
    """Answer through the broker with the token and the database the worker writes to, so an
    operator (and the test suite) can prove the web side, Redis and a worker are wired together."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        (database,) = cursor.fetchone()
    return {"token": token, "database": database, "vendor": connection.vendor}


@shared_task(name="common.audit_seal")
def audit_seal() -> int:
    """Seal the audit trail's closed days into the hash chain (beat: daily after midnight)."""
    from common.audit import audit_days_seal

    return audit_days_seal()


@shared_task(name="common.audit_purge")
def audit_purge() -> list[int]:
    """Drop sealed audit days older than AUDIT_RETENTION_DAYS (never under 180 days)."""
    from common.audit import audit_purge as purge

    return list(purge())


@shared_task(name="common.excel_import_job")
def excel_import_job(*, admin_label: str, token: str, user_id: int | None, phase: str) -> None:
    """Parse (preview) or write (commit) an uploaded Excel file outside the web request."""
    from common.admin_import_jobs import excel_import_job_run

    excel_import_job_run(admin_label=admin_label, token=token, user_id=user_id, phase=phase)


@shared_task(name="common.excel_export_job")
def excel_export_job(*, admin_label: str, token: str, user_id: int, query: str) -> None:
    """Write a large changelist export outside the web request (common.admin_export_jobs)."""
    from common.admin_export_jobs import excel_export_job_run

    excel_export_job_run(admin_label=admin_label, token=token, user_id=user_id, query=query)
