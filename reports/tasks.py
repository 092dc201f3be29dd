"""Celery entry points of the reports app."""

from celery import shared_task


@shared_task(name="reports.publish_register_extract")
def publish_register_extract() -> str:
    """Publish today's public register extract (beat: daily); a re-run is a no-op."""
    from reports.register_extract import register_extract_publish

    return register_extract_publish().sha256
