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
