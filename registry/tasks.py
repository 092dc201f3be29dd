"""Celery entry points of the register; each only calls a service."""

from celery import shared_task


@shared_task(name="registry.organization_name_indexes_merge")
def organization_name_indexes_merge() -> int:
    """After a bulk write of the register (an import): merge the name indexes' pending lists
    (registry.search.name_indexes_merge)."""
    from registry.search import name_indexes_merge

    return name_indexes_merge()
