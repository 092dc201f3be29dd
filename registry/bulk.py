"""Bulk writes on the register: many 成立登记 and 变更登记 at once, under the rules of the
single-organization services (services.organization_register / organization_change),
applied set-based — a constant number of queries whatever the number of organizations.

The Excel import is the caller: it parses cells, then hands every registration and change
here, keyed by its row number, so that a rule added to the services reaches it too.
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from common.actors import saved_user
from common.pgcopy import copy_update, history_insert_select

from .choices import LifecycleStatus
from .models import Organization
from .selectors import with_row_version
from .services import REGISTRATION_FIELDS, organization_change_refusals

BATCH_SIZE = 1000
_LOCK_CHUNK = 5000
# From this many rows a bulk write leaves the merge of its name-index entries to a task after
# the commit (_name_index_merge_deferred).
NAME_INDEX_DEFER_ROWS = 1000
# The GIN pending list a deferring write may fill, in kB (PostgreSQL's default is 4 MB).
_NAME_INDEX_PENDING_KB = 64 * 1024

Registration = tuple[Hashable, dict[str, Any]]  # (key, fields including uscc)
Change = tuple[Hashable, Organization, dict[str, Any]]  # (key, organization, changed fields)


@dataclass
class BulkOutcome:
    """Refusals by the caller's key; what was (or, when checking, would be) written."""

    errors: dict[Hashable, ValidationError] = field(default_factory=dict)
    creates: list[Organization] = field(default_factory=list)
    updates: list[Organization] = field(default_factory=list)
    changed_fields: set[str] = field(default_factory=set)
    written: bool = False


def organizations_bulk_check(
    *,
    registrations: Sequence[Registration] = (),
    changes: Sequence[Change] = (),
    on: datetime.date | None = None,
    fields_checked: bool = False,
) -> BulkOutcome:
    """Apply the rules without writing (the import's preview); the organizations of
    `changes` are modified in memory only. `fields_checked=True` skips the model's field
    validation (full_clean), for values already validated against these very rows (see
    organizations_bulk_write); the rules of registration and change always run."""
    outcome = BulkOutcome()
    for key, values in registrations:
        unknown = sorted(set(values) - {"uscc", *REGISTRATION_FIELDS})
        if unknown:
            outcome.errors[key] = ValidationError(
                {name: "该字段不能在成立登记时填写。" for name in unknown}
            )
            continue
        org = Organization(status=LifecycleStatus.ACTIVE, **values)
        if fields_checked or _clean(key, org, outcome):
            outcome.creates.append(org)
    refusals = organization_change_refusals(
        changes=[(org, values) for _, org, values in changes], on=on
    )
    for i, (key, org, values) in enumerate(changes):
        if i in refusals:
            outcome.errors[key] = refusals[i]
            continue
        for name, value in values.items():
            setattr(org, name, value)
        if fields_checked or _clean(key, org, outcome, changed=values.keys()):
            outcome.updates.append(org)
            outcome.changed_fields.update(values)
    return outcome


@transaction.atomic
def organizations_bulk_write(
    *,
    registrations: Sequence[Registration] = (),
    changes: Sequence[Change] = (),
    actor: Any = None,
    reason: str,
    on: datetime.date | None = None,
    changes_locked: bool = False,
    fields_checked: bool = False,
) -> BulkOutcome:
    """Register and change many organizations, all or nothing: the changed rows are locked
    (as organization_change locks its one row), the rules re-applied to the locked rows, and
    nothing written if any is refused. History rows are written in bulk with `reason`.

    `changes_locked=True` says the caller read the changed organizations with
    `organizations_lock` in the transaction this call runs in (the import reads them once,
    locked, to plan the changes): they are not read again. `fields_checked=True` says the
    values were validated against these rows as they now are (the import's preview, whose
    rows the commit found unchanged by their row version): full_clean is not run again,
    the rules of change (organization_change_refusals) are."""
    if not changes_locked:
        locked = organizations_lock([org.pk for _, org, _ in changes])
        changes = [(key, locked[org.pk], values) for key, org, values in changes]
    elif changes and not connection.in_atomic_block:
        raise RuntimeError("changes_locked needs the caller's transaction (organizations_lock)")
    outcome = organizations_bulk_check(
        registrations=registrations, changes=changes, on=on, fields_checked=fields_checked
    )
    if outcome.errors:
        return outcome
    with _name_index_merge_deferred(len(outcome.creates) + len(outcome.updates)):
        _bulk_write_checked(outcome, actor=actor, reason=reason)
    outcome.written = True
    return outcome


def _bulk_write_checked(outcome: BulkOutcome, *, actor: Any, reason: str) -> None:
    user, now = saved_user(actor), timezone.now()
    if outcome.creates:
        bulk_create_with_history(
            outcome.creates,
            Organization,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=reason,
            default_date=now,
        )
    if outcome.updates:
        for org in outcome.updates:
            org.updated_at = now  # auto_now is not applied by bulk_update
        if connection.vendor == "postgresql":
            _copy_updates(outcome, user=user, now=now, reason=reason)
            return
        bulk_update_with_history(
            outcome.updates,
            Organization,
            fields=sorted(outcome.changed_fields | {"updated_at"}),
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=reason,
            default_date=now,
        )


@contextmanager
def _name_index_merge_deferred(rows: int):
    """PostgreSQL: a write of many rows appends its entries for the name's GIN indexes to
    their pending lists, and a task merges the lists after the commit
    (registry.tasks.organization_name_indexes_merge).

    Every write of a row, even one that leaves the name alone, adds its entries to both
    name indexes (trigram and grams). GIN collects them in a pending list and merges the list
    into the index once it passes gin_pending_list_limit (4 MB by default), inside whichever
    statement crosses it: for an import of 10,000 changes that was a third of the UPDATE. The
    pending list is searched with the index, so results are the same before the merge."""
    if connection.vendor != "postgresql" or rows < NAME_INDEX_DEFER_ROWS:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL gin_pending_list_limit = {_NAME_INDEX_PENDING_KB}")
        yield
        cursor.execute("SET LOCAL gin_pending_list_limit TO DEFAULT")
    from .tasks import organization_name_indexes_merge

    # robust: the import has committed; a broker outage must not turn it into an error page
    # (autovacuum merges the lists too, later).
    transaction.on_commit(organization_name_indexes_merge.delay, robust=True)


def _copy_updates(outcome: BulkOutcome, *, user: Any, now: datetime.datetime, reason: str):
    """PostgreSQL: the changed fields by COPY + one UPDATE … FROM, and the '~' history rows
    by one INSERT … SELECT of the updated rows — the rows bulk_update_with_history writes,
    in three statements instead of a CASE per field per row and a read-back."""
    copy_update(
        Organization,
        rows=outcome.updates,
        fields=sorted(outcome.changed_fields | {"updated_at"}),
        temp="registry_org_import",
    )
    history_insert_select(
        Organization,
        where="o.id IN (SELECT id FROM registry_org_import)",
        params=[],
        history_type="~",
        reason=reason,
        user_id=user.pk if user is not None else None,
        at=now,
    )


def organizations_lock(
    pks: Sequence[int], *, row_version: bool = False, only: Sequence[str] = ()
) -> dict[int, Organization]:
    """The organizations of `pks` by pk, read and locked (SELECT … FOR UPDATE) until the
    end of the caller's transaction; `row_version` adds each row's version as locked
    (selectors.with_row_version), `only` limits the columns read (the rest load on first
    use, a query each)."""
    found: dict[int, Organization] = {}
    ordered = sorted(set(pks))  # one lock order for every writer: no deadlock between imports
    for start in range(0, len(ordered), _LOCK_CHUNK):
        chunk = ordered[start : start + _LOCK_CHUNK]
        qs = Organization.objects.select_for_update().filter(pk__in=chunk).order_by("pk")
        if only:
            qs = qs.only(*only)
        if row_version:
            qs = with_row_version(qs)
        found.update((org.pk, org) for org in qs)
    return found


# A change validates the fields it sets (and the model's cross-field rules): the stored ones
# passed the same validators when they were written, and re-running every validator of every
# field on 10,000 rows cost as much as reading the file.
_FIELD_NAMES = tuple(f.name for f in Organization._meta.concrete_fields)


def _clean(key: Hashable, org: Organization, outcome: BulkOutcome, *, changed: Any = None) -> bool:
    # Foreign keys come from the caller's preloaded lookups and uniqueness from its in-file
    # check: letting full_clean re-check them costs queries per row. Constraints still guard.
    exclude = list(Organization.LOOKUP_FIELDS)
    if changed is not None:
        exclude.extend(name for name in _FIELD_NAMES if name not in changed)
    try:
        org.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        outcome.errors[key] = exc
        return False
    return True
