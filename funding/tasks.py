"""Celery's autodiscovery imports `funding.tasks`: each subject defines its own tasks."""

from funding.ratings import tasks as ratings_tasks  # noqa: F401
