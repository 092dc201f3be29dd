"""Celery's autodiscovery imports `oversight.tasks`: each subject defines its own tasks (their
names, e.g. "oversight.detect_zombies", are explicit and do not follow the module path)."""

from oversight.credit import tasks as credit_tasks  # noqa: F401
from oversight.inspections import tasks as inspections_tasks  # noqa: F401
from oversight.zombies import tasks as zombies_tasks  # noqa: F401
