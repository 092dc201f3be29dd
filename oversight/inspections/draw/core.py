"""The 双随机、一公开 inspection draw as pure functions (DESIGN.md §4.2, DOMAIN.md R-INS-01…10).

No database, no clock, no randomness except `new_nonce`: the same inputs always give the
same draw, so the services, `manage.py verify_draw`, the tests and the stand-alone public
verifier (`oversight/verifier/verify_draw.py`, which re-implements this on purpose) must
agree byte for byte. The exact protocol, written for outsiders, is `docs/draw-protocol.md`;
change it, this module and the verifier together or not at all.

Protocol in brief:
- commit: population, roster, strata and conflicts are frozen as canonical text whose
  SHA-256 is published; k = floor(N × ratio + 1/2) (at least 1 when N > 0); only
  SHA-256("socialorg-draw/1:commit:" ‖ nonce) is published.
- reveal: seed = SHA-256(nonce ‖ public value as UTF-8); organization u ranks by
  HMAC-SHA256(seed, u); the k smallest ranks are selected (largest-remainder allocation
  across strata); inspectors are assigned by the queue rule of `assign_inspectors`.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import operator
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice, pairwise, starmap
from typing import Any

PROTOCOL = "socialorg-draw/1"
DEFAULT_RATIO = Decimal("0.10")  # DOMAIN.md D4: Futian practice
COUNTY_FLOOR = Decimal("0.03")  # R-INS-02: county-level authorities inspect at least 3% a year
DEFAULT_INSPECTORS_PER_ORG = 2  # R-INS-04: on-site checks need at least two inspectors
DEFAULT_CANDIDATE_WINDOW = 8
NONCE_BYTES = 32
COMMIT_PREFIX = b"socialorg-draw/1:commit:"  # domain separation of the commitment from the seed

# Organization codes go into the HMAC as ASCII and into `inspector:<u>:<i>` messages, so
# ':' would make those messages ambiguous; tab and newline would break the published files.
_BAD_ORG_CHAR = re.compile(r"[^!-9;-~\n]")
_SHA256_BLOCK = 64


class DrawError(ValueError):
    """A draw that cannot be made as asked; the message is for staff, in Chinese."""


class InsufficientInspectorsError(DrawError):
    """Some organization has fewer eligible inspectors than R-INS-04 requires; nothing is drawn."""

    def __init__(self, *, shortages: Mapping[str, int], per_org: int) -> None:
        self.shortages = dict(sorted(shortages.items()))
        self.per_org = per_org
        shown = "；".join(
            f"{uscc}（可用 {n} 名）" for uscc, n in islice(self.shortages.items(), 10)
        )
        more = f"等共 {len(self.shortages)} 家组织" if len(self.shortages) > 10 else ""
        super().__init__(
            f"以下组织排除回避人员后可选执法检查人员少于 {per_org} 名（R-INS-04、R-INS-10），"
            f"本次抽查不予执行：{shown}{more}。请补充检查人员名册或核实回避关系。"
        )


# ---------------------------------------------------------------------------- sample size


def _check_ratio(ratio: Decimal) -> None:
    # A float such as 0.1 is not 1/10 in binary; the published k must be exact (DESIGN.md §4.2).
    if not isinstance(ratio, Decimal):
        raise TypeError(f"抽查比例必须是 Decimal 精确小数，收到 {type(ratio).__name__}。")
    if not ratio.is_finite() or not (Decimal(0) < ratio <= Decimal(1)):
        raise ValueError(f"抽查比例应大于 0 且不超过 1，收到 {ratio}。")


def sample_size(*, n: int, ratio: Decimal) -> int:
    """k = floor(N × ratio + 1/2), exact, at least 1 when N > 0 (DESIGN.md §4.2 step 1.3).

    811 × 0.10 → 81 and 766 × 0.10 → 77 are Futian's own figures.
    """
    _check_ratio(ratio)
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"抽查总体数量应为非负整数，收到 {n!r}。")
    if n == 0:
        return 0
    num, den = ratio.as_integer_ratio()
    # floor(n·num/den + 1/2) == floor((2·n·num + den) / (2·den)), all in integers.
    return max(1, (2 * n * num + den) // (2 * den))


def ratio_warning(*, ratio: Decimal, floor: Decimal = COUNTY_FLOOR) -> str | None:
    """A warning for staff when the ratio is below the legal yearly floor (R-INS-02), else None."""
    _check_ratio(ratio)
    if ratio < floor:
        return (
            f"抽查比例 {(ratio * 100).normalize():f}% 低于县级登记管理机关每年不低于"
            f" {(floor * 100).normalize():f}% 的要求"
            f"（《社会组织抽查暂行办法》，R-INS-02）。定期抽查请确认后再创建。"
        )
    return None


# ------------------------------------------------------------------ canonical frozen files


def _sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sorted_unique_orgs(codes: Iterable[str]) -> list[str]:
    """Sorted organization codes, refusing anything the protocol cannot hash or rank."""
    ordered = sorted(codes)
    if not ordered:
        return ordered
    if not isinstance(ordered[0], str) or ordered[0] == "":
        raise DrawError(f"组织代码 {ordered[0]!r} 无效。")
    text = "\n".join(ordered)
    # One C-level scan over the joined text instead of a Python loop over a million codes;
    # a code hiding a newline shows up as one line too many.
    if _BAD_ORG_CHAR.search(text) or text.count("\n") != len(ordered) - 1:
        offender = next(c for c in ordered if _BAD_ORG_CHAR.search(c) or "\n" in c)
        raise DrawError(
            f"组织代码 {offender!r} 含有不允许的字符：只允许可见 ASCII 字符，且不含空白和冒号。"
        )
    if any(starmap(operator.eq, pairwise(ordered))):
        dup = next(a for a, b in pairwise(ordered) if a == b)
        raise DrawError(f"组织代码 {dup} 在抽查总体中重复出现。")
    return ordered


def _check_label(value: str, what: str) -> None:
    if (
        not isinstance(value, str)
        or not value
        or not value.isprintable()
        or any(ch.isspace() for ch in value)
    ):
        raise DrawError(f"{what} {value!r} 无效：不能为空，且不能含空白或控制字符。")


def _sorted_unique_inspectors(codes: Iterable[str]) -> list[str]:
    ordered = sorted(codes)
    for code in ordered:
        _check_label(code, "检查人员编号")
    for a, b in pairwise(ordered):
        if a == b:
            raise DrawError(f"检查人员编号 {a} 在名册中重复出现。")
    return ordered


def population_text(*, codes: Iterable[str]) -> str:
    """The published population file: codes sorted ascending, joined by "\\n", no final newline."""
    return "\n".join(_sorted_unique_orgs(codes))


def population_hash(*, codes: Iterable[str]) -> str:
    """Hex SHA-256 of `population_text` as UTF-8 (DESIGN.md §4.2 step 1.1)."""
    return _sha256_hex(population_text(codes=codes))


def roster_text(*, codes: Iterable[str]) -> str:
    """The published roster file: inspector codes sorted by code point, "\\n"-joined."""
    return "\n".join(_sorted_unique_inspectors(codes))


def roster_hash(*, codes: Iterable[str]) -> str:
    """Hex SHA-256 of `roster_text` as UTF-8 (DESIGN.md §4.2 step 1.2)."""
    return _sha256_hex(roster_text(codes=codes))


def strata_text(*, strata: Mapping[str, Iterable[str]]) -> str:
    """The published strata file: one `stratum<TAB>uscc` line per organization.

    Lines sorted by (stratum, uscc); empty strata have no line (they could never be drawn).
    """
    lines = []
    for key in sorted(strata):
        _check_label(key, "分层名称")
        lines.extend(f"{key}\t{code}" for code in _sorted_unique_orgs(strata[key]))
    return "\n".join(lines)


def strata_hash(*, strata: Mapping[str, Iterable[str]]) -> str:
    """Hex SHA-256 of `strata_text` as UTF-8."""
    return _sha256_hex(strata_text(strata=strata))


def conflicts_text(*, conflicts: Mapping[str, Iterable[str]]) -> str:
    """The published conflicts file: one `uscc<TAB>inspector` line per declared conflict, sorted.

    The caller has already turned conflicts with a supervising unit into one line per
    organization of that unit (R-INS-10).
    """
    lines = []
    for uscc in _sorted_unique_orgs(conflicts):
        lines.extend(f"{uscc}\t{i}" for i in _sorted_unique_inspectors(set(conflicts[uscc])))
    return "\n".join(lines)


def conflicts_hash(*, conflicts: Mapping[str, Iterable[str]]) -> str:
    """Hex SHA-256 of `conflicts_text` as UTF-8."""
    return _sha256_hex(conflicts_text(conflicts=conflicts))


# ------------------------------------------------------------------------ nonce and seed


def new_nonce() -> bytes:
    """The secret of the commit step: 32 bytes from `secrets` (DESIGN.md §4.2 step 1.4)."""
    return secrets.token_bytes(NONCE_BYTES)


def public_value_declaration(*, source: str, known_at: str) -> str:
    """D17: the declared source of the public random value and the time it becomes known,
    as the text bound into the commitment ("" when the draw uses no public value).

    Declaring both or neither: a source without a time could be read at any moment, and a
    value used without a declaration could be chosen by whoever holds the nonce."""
    source, known_at = source.strip(), known_at.strip()
    if not source and not known_at:
        return ""
    if not source or not known_at:
        raise DrawError("公开随机值的来源和公布时间须在创建时一并声明（D17）。")
    if "\n" in source or "\x1f" in source:
        raise DrawError("公开随机值来源不能包含换行。")
    return f"{source}\n{known_at}"


def nonce_hash(*, nonce: bytes, declaration: str = "") -> str:
    """Hex SHA-256 of COMMIT_PREFIX ‖ nonce [‖ 0x1F ‖ declaration], the only trace of the
    nonce published before execution. The prefix matters: a plain SHA-256(nonce) would equal
    the seed of a draw executed with an empty public value, and so publish the selection at
    creation. The declaration (D17) is inside the commitment, so the source and time of the
    public value cannot be changed after creation without the commitment failing."""
    if not isinstance(nonce, bytes) or len(nonce) != NONCE_BYTES:
        raise DrawError(f"随机数（nonce）应为 {NONCE_BYTES} 字节。")
    data = COMMIT_PREFIX + nonce
    if declaration:
        data += b"\x1f" + declaration.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def draw_seed(*, nonce: bytes, public_value: str) -> bytes:
    """seed = SHA-256(nonce ‖ public value as UTF-8) (DESIGN.md §4.2 step 2)."""
    nonce_hash(nonce=nonce)
    return hashlib.sha256(nonce + public_value.encode("utf-8")).digest()


# ------------------------------------------------------------------------------ ranking


def rank(*, seed: bytes, uscc: str) -> bytes:
    """HMAC-SHA256(key=seed, msg=uscc as ASCII); compared as bytes = as a big-endian integer."""
    return hmac.new(seed, uscc.encode("ascii"), hashlib.sha256).digest()


def inspector_rank(*, seed: bytes, uscc: str, inspector: str) -> bytes:
    """HMAC-SHA256(seed, "inspector:" + uscc + ":" + inspector as UTF-8) (DESIGN.md §4.2 2.2)."""
    msg = f"inspector:{uscc}:{inspector}".encode()
    return hmac.new(seed, msg, hashlib.sha256).digest()


def _hmac_states(seed: bytes) -> tuple[Any, Any]:
    """SHA-256 states after the HMAC inner and outer key blocks (RFC 2104).

    Copying these is about 2.5× faster than `hmac.new` per message, which is most of the
    cost of ranking a million organizations; `rank` stays the readable reference.
    """
    key = hashlib.sha256(seed).digest() if len(seed) > _SHA256_BLOCK else seed
    key = key.ljust(_SHA256_BLOCK, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
    return inner, outer


def _keyed_ranks(seed: bytes, codes: Iterable[str]) -> list[bytes]:
    """rank(u) + u for every u: plain bytes comparison orders them by (rank, uscc)."""
    inner, outer = _hmac_states(seed)
    inner_copy, outer_copy = inner.copy, outer.copy
    out = []
    append = out.append
    for code in codes:
        msg = code.encode("ascii")
        h = inner_copy()
        h.update(msg)
        o = outer_copy()
        o.update(h.digest())
        append(o.digest() + msg)
    return out


def _smallest(keyed: list[bytes], k: int) -> list[str]:
    """The k smallest of `keyed`, in ascending order, decoded back to codes."""
    n = len(keyed)
    if k <= 0:
        return []
    pool = keyed
    # Ranks are uniform, so all k smallest almost surely lie below a threshold a few
    # standard deviations above the k/N quantile; sorting only those is ~10× less work.
    # If fewer than k pass, the full sort below still gives the exact answer.
    expected = k + 8 * math.isqrt(k) + 64
    if expected * 2 < n:
        limit = ((expected << 256) // n).to_bytes(32, "big")
        pool = [x for x in keyed if x < limit]
        if len(pool) < k:
            pool = keyed
    return [x[32:].decode("ascii") for x in sorted(pool)[:k]]


def select(*, seed: bytes, codes: Iterable[str], k: int) -> list[str]:
    """The k organizations with the smallest ranks, ties by code, in ascending rank order.

    DESIGN.md §4.2 step 2.1. The order returned is the order in which inspectors are assigned.
    """
    ordered = _sorted_unique_orgs(codes)
    if not 0 <= k <= len(ordered):
        raise DrawError(f"抽取数量 {k} 超出抽查总体数量 {len(ordered)}。")
    return _smallest(_keyed_ranks(seed, ordered), k)


# ---------------------------------------------------------------------- stratification


def allocate_strata(*, sizes: Mapping[str, int], k: int) -> dict[str, int]:
    """Split k across strata in proportion to their sizes by the largest-remainder method.

    Each stratum s of size n_s (N in total) first gets floor(k·n_s/N); the seats left over
    go one each to the strata with the largest remainders (k·n_s mod N), equal remainders
    by larger stratum first, then by stratum name in code-point order. No stratum ever
    gets more than its size: a stratum whose quota is whole has remainder 0 and, since the
    remainders sum to (seats left)·N with each below N, more strata than seats left have a
    positive one.
    """
    for key, size in sizes.items():
        _check_label(key, "分层名称")
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise DrawError(f"分层 {key} 的数量 {size!r} 无效。")
    total = sum(sizes.values())
    if not 0 <= k <= total:
        raise DrawError(f"抽取数量 {k} 超出抽查总体数量 {total}。")
    if total == 0:
        return dict.fromkeys(sorted(sizes), 0)
    alloc = {key: k * size // total for key, size in sizes.items()}
    left = k - sum(alloc.values())
    order = sorted(sizes, key=lambda key: (-(k * sizes[key] % total), -sizes[key], key))
    for key in order[:left]:
        alloc[key] += 1
    if any(alloc[key] > sizes[key] for key in sizes):  # pragma: no cover - proven above
        raise AssertionError("largest-remainder allocation exceeded a stratum")
    return {key: alloc[key] for key in sorted(alloc)}


@dataclass(frozen=True)
class StratifiedSelection:
    """A stratified selection: `selected` in ascending rank order across all strata."""

    selected: list[str]
    allocation: dict[str, int]
    by_stratum: dict[str, list[str]]


def select_stratified(
    *, seed: bytes, strata: Mapping[str, Iterable[str]], k: int
) -> StratifiedSelection:
    """Allocate k by `allocate_strata`, then take each stratum's smallest ranks (§4.2 2.1).

    Strata must not overlap. The combined list is sorted by (rank, uscc), the same order an
    unstratified draw uses, so inspectors are assigned the same way in both.
    """
    members = {key: _sorted_unique_orgs(codes) for key, codes in strata.items()}
    _sorted_unique_orgs(code for codes in members.values() for code in codes)
    allocation = allocate_strata(sizes={key: len(codes) for key, codes in members.items()}, k=k)
    by_stratum: dict[str, list[str]] = {}
    keyed_selected: list[bytes] = []
    for key in sorted(members):
        keyed = _keyed_ranks(seed, members[key])
        chosen = _smallest(keyed, allocation[key])
        by_stratum[key] = chosen
        keyed_selected.extend(_keyed_ranks(seed, chosen))
    selected = [x[32:].decode("ascii") for x in sorted(keyed_selected)]
    return StratifiedSelection(selected=selected, allocation=allocation, by_stratum=by_stratum)
