"""Recording the audit trail and its daily hash chain (等保 2.0 安全审计).

`record(...)` appends one AuditEvent; the helpers below name the events other code records
(personal reads, token use, imports and exports). The request's address reaches records
written deep inside services through `AuditContextMiddleware` (a context variable), so
callers do not pass requests around.

The chain: each closed day gets an AuditDigest whose digest is
SHA-256(previous digest ‖ "\\n" ‖ the day's rows in canonical form), the first day's
previous digest being 64 zeros (or, after a purge, the stored previous digest of the first
retained day). `audit_chain_verify()` recomputes it; a row edited, inserted or deleted
after sealing changes the day's digest.
"""

from __future__ import annotations

import contextvars
import datetime
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from .actors import saved_user
from .audit_models import AuditAction, AuditDigest, AuditEvent

GENESIS_DIGEST = "0" * 64
DAY = datetime.timedelta(days=1)
# The minimum retention 等保 2.0 asks for (GB/T 22239-2019 8.1.4.3: 日志保存不少于六个月);
# the database trigger enforces the same floor.
MIN_RETENTION_DAYS = 180
PERSONAL_FIELDS_LABEL = "个人信息"

_request_context: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "audit_request", default=None
)


def client_ip(request) -> str | None:
    """The caller's address: REMOTE_ADDR, or with AUDIT_TRUSTED_PROXIES = n > 0 the n-th
    address from the right of X-Forwarded-For (only a proxy we run may be believed)."""
    if request is None:
        return None
    proxies = getattr(settings, "AUDIT_TRUSTED_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def axes_client_ip(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the lockout counts addresses exactly as the audit records them."""
    return client_ip(request)


class AuditContextMiddleware:
    """Makes the current request's address available to `record()` anywhere below it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_context.set({"ip": client_ip(request)})
        try:
            return self.get_response(request)
        finally:
            _request_context.reset(token)


def current_ip() -> str | None:
    context = _request_context.get()
    return context["ip"] if context else None


def record(
    *,
    action: str,
    user=None,
    username: str = "",
    ip: str | None = None,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    detail: str = "",
) -> AuditEvent:
    """Append one event. `obj` (a model instance) fills the object columns."""
    user = saved_user(user)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    return AuditEvent.objects.create(
        action=action,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        ip_address=ip or current_ip(),
        object_type=object_type[:100],
        object_id=str(object_id)[:64],
        object_repr=object_repr[:200],
        detail=detail,
    )


def record_personal_read(*, user, obj, fields, ip: str | None = None, channel: str = "") -> None:
    """A read of personal fields (法定代表人、联系电话 …) of `obj` by `user`."""
    names = "、".join(str(f) for f in fields)
    detail = f"{channel}：{names}" if channel else names
    record(action=AuditAction.PERSONAL_READ, user=user, ip=ip, obj=obj, detail=detail)


def record_token_use(*, token, ip: str | None = None) -> None:
    """One row per token and day (the first use, with its address): authentication must not
    write a row per request. The cache's atomic add decides which request writes it."""
    today = timezone.localdate()
    key = f"audit:token-use:{token.pk}-{token.prefix}:{today.isoformat()}"
    if cache.add(key, 1, timeout=2 * 24 * 3600):
        record(
            action=AuditAction.TOKEN_USE,
            user=token.user,
            ip=ip,
            obj=token,
            detail=f"令牌 {token.prefix}… 当日首次使用",
        )


# ---------------------------------------------------------------------------- the chain


def _canonical(event: dict) -> str:
    occurred = event["occurred_at"].astimezone(datetime.UTC).isoformat()
    return json.dumps(
        [
            event["id"],
            occurred,
            event["day"].isoformat(),
            event["action"],
            event["user_id"],
            event["username"],
            event["ip_address"],
            event["object_type"],
            event["object_id"],
            event["object_repr"],
            event["detail"],
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


CHAIN_FIELDS = (
    "id",
    "occurred_at",
    "day",
    "action",
    "user_id",
    "username",
    "ip_address",
    "object_type",
    "object_id",
    "object_repr",
    "detail",
)


def day_digest(day: datetime.date, previous: str) -> tuple[str, int]:
    """(digest, row count) of `day`'s rows chained onto `previous`; streamed, id order."""
    sha = hashlib.sha256(previous.encode("ascii") + b"\n")
    rows = 0
    events = AuditEvent.objects.filter(day=day).order_by("id").values(*CHAIN_FIELDS)
    for event in events.iterator(chunk_size=2000):
        sha.update(_canonical(event).encode("utf-8") + b"\n")
        rows += 1
    return sha.hexdigest(), rows


def audit_days_seal(*, until: datetime.date | None = None) -> int:
    """Seal every closed day up to `until` (default yesterday) not sealed yet; idempotent.
    Days without events are sealed too, so the chain has no gaps to hide a deleted day."""
    until = until or timezone.localdate() - DAY
    sealed = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # One sealer at a time: two beat runs must not both append the same day.
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE common_auditdigest IN EXCLUSIVE MODE")
        last = AuditDigest.objects.order_by("-day").first()
        if last is not None:
            day, previous = last.day + DAY, last.digest
        else:
            first = AuditEvent.objects.order_by("day").values_list("day", flat=True).first()
            if first is None:
                return 0
            day, previous = first, GENESIS_DIGEST
        while day <= until:
            digest, rows = day_digest(day, previous)
            AuditDigest.objects.create(day=day, previous_digest=previous, digest=digest, rows=rows)
            previous, day, sealed = digest, day + DAY, sealed + 1
    return sealed


@dataclass
class ChainReport:
    days: int
    first_day: datetime.date | None
    last_day: datetime.date | None
    broken: list[str]

    @property
    def ok(self) -> bool:
        return not self.broken


def audit_chain_verify() -> ChainReport:
    """Recompute every sealed day from the first retained one; list each mismatch."""
    broken: list[str] = []
    digests = list(AuditDigest.objects.order_by("day"))
    previous = digests[0].previous_digest if digests else GENESIS_DIGEST
    expected_day = digests[0].day if digests else None
    for entry in digests:
        if entry.day != expected_day:
            broken.append(f"{expected_day} 至 {entry.day - DAY} 的日摘要缺失")
        if entry.previous_digest != previous:
            broken.append(f"{entry.day}：前一日摘要与链不符")
        digest, rows = day_digest(entry.day, entry.previous_digest)
        if digest != entry.digest:
            broken.append(
                f"{entry.day}：审计记录与封存摘要不符（封存 {entry.rows} 条，现有 {rows} 条）"
            )
        previous, expected_day = entry.digest, entry.day + DAY
    if digests and AuditEvent.objects.filter(day__lt=digests[0].day).exists():
        broken.append(f"{digests[0].day} 之前存在未纳入摘要链的审计记录")
    return ChainReport(
        days=len(digests),
        first_day=digests[0].day if digests else None,
        last_day=digests[-1].day if digests else None,
        broken=broken,
    )


def retention_days() -> int:
    return max(
        int(getattr(settings, "AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS)), MIN_RETENTION_DAYS
    )


def audit_purge(*, today: datetime.date | None = None) -> tuple[int, int]:
    """Remove sealed days older than the retention (never fewer than 180 days); the first
    retained digest keeps its previous digest, so the chain still verifies from there.
    Returns (days, events) removed."""
    cutoff = (today or timezone.localdate()) - datetime.timedelta(days=retention_days())
    with transaction.atomic():
        days, _ = AuditDigest.objects.filter(day__lt=cutoff).delete()
        if not AuditDigest.objects.exists():
            return days, 0  # nothing sealed remains to anchor a purge of events
        events, _ = AuditEvent.objects.filter(day__lt=cutoff).delete()
    return days, events
