"""The synthetic register of `seed_demo --orgs N`: deterministic rows, COPY on PostgreSQL."""

from __future__ import annotations

import datetime
import io
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from common.pgcopy import copy_defaults, copy_text_value, history_insert_select
from registry.choices import (
    LifecycleStatus,
    OrganizationType,
)
from registry.demo.plan import _uscc
from registry.demo.reference import (
    BRANDS,
    BUSINESS_SCOPES,
    C_BUSINESS,
    C_EDUCATION,
    C_SOCIAL,
    DEMO_CATEGORY_QUOTAS,
    DIRECT,
    FUTIAN_DIVISION_CODE,
    GIVEN_CHARS,
    HOMETOWNS,
    INDUSTRY_ASSOCIATION_TEMPLATES,
    NAME_OPTIONS,
    PNE,
    SCHOOLS,
    SG,
    STREET,
    STREET_ROADS,
    STREET_UNIT_CODE,
    STREETS,
    SURNAMES,
    SYNTHETIC_CHANGE_REASON,
    SYNTHETIC_SEED,
    TRADES,
)
from registry.demo.units import _category_ids, _unit_ids, supervising_units_seed
from registry.models import Organization
from registry.uscc import (
    CHARSET31,
    TYPE_DIGITS,
)

# ---------------------------------------------------------------------------------------------
# The synthetic register (`--orgs N`): load-test scale, COPY on PostgreSQL.

SYNTHETIC_BODY_PREFIX = "MJY"  # the demo set never uses 'Y' here, so the sets never collide
SYNTHETIC_CHUNK = 50_000  # rows per COPY and per deterministic RNG stream
SYNTHETIC_MAX = 31**5  # counter digits after MJY: 28.6 million distinct bodies
SYNTHETIC_FIRST_DAY = datetime.date(2000, 1, 1)
SYNTHETIC_LAST_DAY = datetime.date(2025, 12, 31)


def synthetic_uscc(index: int, org_type: str) -> str:
    """USCC of synthetic organization `index`: body `MJY` + index in five base-31 digits."""
    digits = []
    n = index
    for _ in range(5):
        n, d = divmod(n, 31)
        digits.append(CHARSET31[d])
    return _uscc(org_type, SYNTHETIC_BODY_PREFIX + "".join(reversed(digits)))


def synthetic_register_count() -> int:
    """How many synthetic organizations exist: rows 0…count−1 (each run is one transaction)."""
    count = 0
    for digit in sorted(set(TYPE_DIGITS.values())):
        low = f"5{digit}{FUTIAN_DIVISION_CODE}{SYNTHETIC_BODY_PREFIX}"
        count += Organization.objects.filter(uscc__gte=low, uscc__lt=low[:-1] + "Z").count()
    return count


class _SyntheticRows:
    """Row i of the synthetic register, the same on every run (RNG seeded per chunk)."""

    TYPES = (PNE,) * 60 + (SG,) * 39 + (OrganizationType.FOUNDATION,)

    def __init__(self, unit_ids: dict[str, int], category_ids: dict[int, int]) -> None:
        # Flattened (category, unit id, template, subjects) per type, weighted by repetition,
        # so one random index picks a coherent category/unit/name shape.
        self.shapes: dict[str, list[tuple[int, int | None, str, tuple[str, ...], bool]]] = {}
        for org_type in (PNE, SG):
            shapes = []
            for category, quota in DEMO_CATEGORY_QUOTAS[org_type].items():
                options = NAME_OPTIONS[(org_type, category)]
                total = sum(o[1] for o in options)
                for unit, weight, templates, subjects in options:
                    repeat = max(1, round(quota * weight / total / 2))
                    for template in templates:
                        shapes.extend(
                            [(category, unit, template, subjects, unit == STREET)] * repeat
                        )
            self.shapes[org_type] = shapes
        # Foundations are registered above district level (R-ORG-01): shown with no unit.
        self.shapes[OrganizationType.FOUNDATION] = [
            (C_SOCIAL, DIRECT, "{brand}公益基金会", (), False),
            (C_EDUCATION, DIRECT, "{brand}教育基金会", (), False),
        ]
        self.unit_ids = unit_ids
        self.category_ids = category_ids
        self.street_roads = [(s, r) for s in STREETS for r in STREET_ROADS[s]]
        self.scopes = {c: "；".join(p[:3]) + "。" for c, p in BUSINESS_SCOPES.items()}
        self.first = SYNTHETIC_FIRST_DAY.toordinal()
        self.span = SYNTHETIC_LAST_DAY.toordinal() - self.first

    def rows(self, start: int, stop: int) -> Iterator[tuple]:
        """Rows start…stop−1 as tuples in `SYNTHETIC_COLUMNS` order (values, not SQL)."""
        chunk = start // SYNTHETIC_CHUNK
        while start < stop:
            chunk_start = chunk * SYNTHETIC_CHUNK
            chunk_stop = min(chunk_start + SYNTHETIC_CHUNK, stop)
            rng = random.Random(f"{SYNTHETIC_SEED}:{chunk}")
            for i in range(chunk_start, chunk_stop):
                row = self._row(rng, i)
                if i >= start:
                    yield row
            start = chunk_stop
            chunk += 1

    def _row(self, rng: random.Random, i: int) -> tuple:
        # The parts draw from `rng` in this order, the tuple's last three too: reordering any
        # draw changes every synthetic register.
        r = rng.random
        org_type = self.TYPES[int(r() * 100)]
        category, unit, core, street, road, is_ia = self._identity(r, org_type=org_type)
        surname = SURNAMES[int(r() * len(SURNAMES))]
        given = GIVEN_CHARS[int(r() * len(GIVEN_CHARS))] + GIVEN_CHARS[int(r() * len(GIVEN_CHARS))]
        established = self.first + int(r() * self.span)
        status, started, deregistered, revoked = self._lifecycle(r, established=established)
        day = datetime.date.fromordinal
        return (
            synthetic_uscc(i, org_type),
            "深圳市福田区" + core,
            org_type,
            is_ia,
            self.category_ids[category],
            self.unit_ids.get(unit) if unit else None,
            surname + given,
            f"深圳市福田区{street}街道{road}{1 + int(r() * 4000)}号",
            f"0755-8{int(r() * 10_000_000):07d}",
            self.scopes[category],
            f"{30 + int(r() * 470)}000.00",
            f"福民证字第{i + 1:07d}号",
            day(established),
            status,
            day(started) if started else None,
            day(deregistered) if deregistered else None,
            day(revoked) if revoked else None,
        )

    def _identity(self, r: Callable[[], float], *, org_type: str) -> tuple:
        """(category, unit code, name without the district, street, road, is industry
        association) of one row."""
        brands, n_brands = BRANDS, len(BRANDS)
        shapes = self.shapes[org_type]
        category, unit, template, subjects, by_street = shapes[int(r() * len(shapes))]
        street, road = self.street_roads[int(r() * len(self.street_roads))]
        is_ia = org_type == SG and category == C_BUSINESS and r() < 0.5
        if is_ia:
            unit = DIRECT
            core = (
                INDUSTRY_ASSOCIATION_TEMPLATES[int(r() * 3)]
                .replace("{trade}", TRADES[int(r() * len(TRADES))])
                .replace("{hometown}", HOMETOWNS[int(r() * len(HOMETOWNS))])
            )
        else:
            # Two 字号 give a four-character name, so names rarely repeat at this scale.
            brand = brands[int(r() * n_brands)] + brands[int(r() * n_brands)]
            core = (
                template.replace("{brand}", brand)
                .replace("{street}", street)
                .replace("{x}", subjects[int(r() * len(subjects))] if subjects else "")
                .replace("{school}", SCHOOLS[int(r() * len(SCHOOLS))])
            )
            if by_street:
                unit = STREET_UNIT_CODE[street]
        return category, unit, core, street, road, is_ia

    def _lifecycle(self, r: Callable[[], float], *, established: int) -> tuple:
        """(status, deregistration started, deregistered, revoked) as ordinals: about one
        row in nine has left or is leaving the register."""
        fate = r()
        started = deregistered = revoked = None
        status = LifecycleStatus.ACTIVE
        if fate < 0.115:
            # Exits fall after the organization's first 180 days and before the last day.
            last = self.first + self.span
            exit_day = min(last, established + 180 + int(r() * 3650))
            if exit_day > established:
                if fate < 0.015:
                    status, started = LifecycleStatus.DEREGISTERING, exit_day
                elif fate < 0.09:
                    status, deregistered = LifecycleStatus.DEREGISTERED, exit_day
                    started = max(established + 1, exit_day - 60)
                else:
                    status, revoked = LifecycleStatus.REVOKED, exit_day
        return status, started, deregistered, revoked


SYNTHETIC_COLUMNS = (
    "uscc",
    "name",
    "org_type",
    "is_industry_association",
    "industry_category_id",
    "supervising_unit_id",
    "legal_representative",
    "domicile",
    "phone",
    "business_scope",
    "registered_capital",
    "registration_certificate_no",
    "established_on",
    "status",
    "deregistration_started_on",
    "deregistered_on",
    "revoked_on",
)


@dataclass(frozen=True)
class SyntheticSeedResult:
    requested: int
    existing: int
    created: int
    seconds: float


def synthetic_register_seed(
    n: int, *, log: Callable[[str], None] = lambda _: None
) -> SyntheticSeedResult:
    """Make synthetic organizations 0…n−1 exist, appending the ones missing, with a '+'
    history row each (written explicitly: COPY bypasses save())."""
    if n > SYNTHETIC_MAX:
        raise ValueError(f"合成登记簿最多 {SYNTHETIC_MAX} 个组织")
    began = time.monotonic()
    supervising_units_seed()
    existing = synthetic_register_count()
    if existing >= n:
        return SyntheticSeedResult(n, existing, 0, time.monotonic() - began)
    rows = _SyntheticRows(_unit_ids(), _category_ids())
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _synthetic_copy(rows, existing, n, log)
        else:
            _synthetic_bulk_create(rows, existing, n, log)
    return SyntheticSeedResult(n, existing, n - existing, time.monotonic() - began)


def _synthetic_copy(rows: _SyntheticRows, start: int, stop: int, log) -> None:
    org_table = Organization._meta.db_table
    hist_table = Organization.history.model._meta.db_table
    qn = connection.ops.quote_name
    now = timezone.now()
    # Columns the generator does not know (created_at, fields added later) get their defaults.
    extra_columns, extra_text = copy_defaults(Organization, known=set(SYNTHETIC_COLUMNS))
    columns = ["id", *SYNTHETIC_COLUMNS, *extra_columns]

    with connection.cursor() as cursor:
        next_id = _reserve_ids(cursor, org_table=org_table, count=stop - start)
        copy_sql = f"COPY {qn(org_table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
        for chunk_start in range(start, stop, SYNTHETIC_CHUNK):
            chunk_stop = min(chunk_start + SYNTHETIC_CHUNK, stop)
            buffer = io.StringIO()
            write = buffer.write
            first_id = next_id
            for row in rows.rows(chunk_start, chunk_stop):
                write(str(next_id))
                for value in row:
                    write("\t")
                    write(copy_text_value(value))
                write(extra_text)
                write("\n")
                next_id += 1
            buffer.seek(0)
            cursor.copy_expert(copy_sql, buffer)
            history_insert_select(
                Organization,
                where="o.id BETWEEN %s AND %s",
                params=[first_id, next_id - 1],
                history_type="+",
                reason=SYNTHETIC_CHANGE_REASON,
                user_id=None,
                at=now,
            )
            log(f"  {chunk_stop:,} / {stop:,}")
        cursor.execute(f"ANALYZE {qn(org_table)}")
        cursor.execute(f"ANALYZE {qn(hist_table)}")


def _reserve_ids(cursor, *, org_table: str, count: int) -> int:
    """The first of `count` consecutive organization ids taken from the sequence.

    Explicit ids (history rows need them); the lock keeps other writers out of the
    reserved block until this transaction ends."""
    qn = connection.ops.quote_name
    cursor.execute(f"LOCK TABLE {qn(org_table)} IN SHARE ROW EXCLUSIVE MODE")
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [org_table])
    (sequence,) = cursor.fetchone()
    cursor.execute(
        f"SELECT setval(%s, GREATEST(nextval(%s), (SELECT COALESCE(MAX(id), 0) + 1 "
        f"FROM {qn(org_table)})) + %s - 1)",
        [sequence, sequence, count],
    )
    (last_id,) = cursor.fetchone()
    return last_id - count + 1


def _synthetic_bulk_create(rows: _SyntheticRows, start: int, stop: int, log) -> None:
    from simple_history.utils import bulk_create_with_history

    batch = 2_000
    for chunk_start in range(start, stop, batch):
        chunk_stop = min(chunk_start + batch, stop)
        objs = [
            Organization(**dict(zip(SYNTHETIC_COLUMNS, row, strict=True)))
            for row in rows.rows(chunk_start, chunk_stop)
        ]
        bulk_create_with_history(
            objs, Organization, batch_size=500, default_change_reason=SYNTHETIC_CHANGE_REASON
        )
        log(f"  {chunk_stop:,} / {stop:,}")
