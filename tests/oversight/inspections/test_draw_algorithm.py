"""The pure draw algorithm and the stand-alone verifier (DESIGN.md §4.2, R-INS-01…10).

Expected values are computed here independently of `oversight.draw` (plain hashlib/hmac,
integers read big-endian, naive sorts) or pinned from `sha256sum` / `openssl dgst`.
"""

from __future__ import annotations

import bisect
import hashlib
import hmac
import math
import random
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.inspections import draw
from tests.oversight.inspections.draw_inputs import population, roster

VERIFIER = Path(draw.__file__).parent / "verifier" / "verify_draw.py"
NONCE = bytes(range(32))
PUBLIC_VALUE = "2024001期 01 02 03"
# printf '\x00…\x1f2024001期 01 02 03' | sha256sum
SEED = bytes.fromhex("b9b6d59e61b4a7dd1375d6fb720082b2c613a2c56220a231a30911ee0a97eec7")


def ref_rank(seed: bytes, code: str) -> int:
    return int.from_bytes(hmac.new(seed, code.encode("ascii"), hashlib.sha256).digest(), "big")


def ref_select(seed: bytes, codes: list[str], k: int) -> list[str]:
    return sorted(codes, key=lambda u: (ref_rank(seed, u), u))[:k]


def ref_inspector_rank(seed: bytes, u: str, i: str) -> int:
    msg = ("inspector:" + u + ":" + i).encode("utf-8")
    return int.from_bytes(hmac.new(seed, msg, hashlib.sha256).digest(), "big")


def ref_assign(seed, selected, roster_codes, conflicts, per_org, window):
    """docs/draw-protocol.md §6 read literally: one queue of (load, position, code)."""
    queue = [(0, pos, code) for pos, code in enumerate(sorted(roster_codes))]
    position = len(queue)
    out = {}
    for u in selected:
        eligible = [e for e in queue if e[2] not in conflicts.get(u, set())][:window]
        chosen = sorted(eligible, key=lambda e: (e[0], ref_inspector_rank(seed, u, e[2]), e[2]))
        chosen = chosen[:per_org]
        for e in chosen:
            queue.remove(e)
            bisect.insort(queue, (e[0] + 1, position, e[2]))
            position += 1
        out[u] = [e[2] for e in chosen]
    return out


# ------------------------------------------------------------------------- sample size


@pytest.mark.parametrize(
    ("n", "k"),
    [(811, 81), (766, 77), (0, 0), (1, 1), (4, 1), (5, 1), (15, 2), (25, 3), (1000, 100)],
)
def test_sample_size_table_at_ten_percent(n, k):
    assert draw.sample_size(n=n, ratio=Decimal("0.10")) == k


@pytest.mark.parametrize(
    ("n", "ratio", "k"),
    [
        (811, "0.03", 24),  # 24.33
        (50, "0.03", 2),  # 1.5 rounds half up
        (100, "0.03", 3),
        (10, "0.05", 1),  # 0.5 → 1
        (30, "0.05", 2),
        (3, "0.5", 2),
        (811, "1", 811),
        (499, "0.001", 1),  # 0.999 → 0 → at least one
        (1499, "0.001", 1),
        (1500, "0.001", 2),
        (811, "0.1", 81),
        (333, "0.333333333333333333333333333333333", 111),  # beyond float/28-digit precision
    ],
)
def test_sample_size_other_ratios(n, ratio, k):
    assert draw.sample_size(n=n, ratio=Decimal(ratio)) == k


@given(
    n=st.integers(min_value=0, max_value=2_000_000),
    ratio=st.decimals(min_value="0.0001", max_value="1", places=4),
)
def test_sample_size_is_exact_half_up(n, ratio):
    exact = Fraction(n) * Fraction(ratio)
    expected = math.floor(exact + Fraction(1, 2))
    assert draw.sample_size(n=n, ratio=ratio) == (max(1, expected) if n else 0)


@pytest.mark.parametrize("ratio", ["0", "-0.1", "1.01", "NaN", "Infinity"])
def test_sample_size_refuses_ratio_outside_zero_one(ratio):
    with pytest.raises(ValueError, match="抽查比例"):
        draw.sample_size(n=10, ratio=Decimal(ratio))


def test_sample_size_refuses_float_ratio():
    with pytest.raises(TypeError, match="Decimal"):
        draw.sample_size(n=10, ratio=0.1)


def test_ratio_warning_below_county_floor_r_ins_02():
    message = draw.ratio_warning(ratio=Decimal("0.02"))
    assert message is not None
    assert "2%" in message and "3%" in message and "R-INS-02" in message
    assert draw.ratio_warning(ratio=Decimal("0.03")) is None
    assert draw.ratio_warning(ratio=Decimal("0.10")) is None
    assert draw.ratio_warning(ratio=Decimal("0.035"), floor=Decimal("0.04")) is not None


# ---------------------------------------------------------------------- hashes and seed

TINY = ["52440304MJL000016C", "51440300MJL1712376", "52440300MJL186084F"]


def test_population_text_and_hash_of_a_tiny_population():
    text = draw.population_text(codes=TINY)
    assert text == "51440300MJL1712376\n52440300MJL186084F\n52440304MJL000016C"
    expected = hashlib.sha256(text.encode("utf-8")).hexdigest()
    # printf '51440300MJL1712376\n52440300MJL186084F\n52440304MJL000016C' | sha256sum
    assert expected == "facaa577c5e49a92eefc7a90183b099166e3c26dc5b9f4a6a4357bf4a78418a0"
    assert draw.population_hash(codes=TINY) == expected
    assert draw.population_hash(codes=reversed(TINY)) == expected


def test_roster_hash_sorts_by_code_point_and_hashes_utf8():
    codes = ["福田-003", "FT-002", "FT-001"]
    assert draw.roster_text(codes=codes) == "FT-001\nFT-002\n福田-003"
    # printf 'FT-001\nFT-002\n福田-003' | sha256sum
    assert (
        draw.roster_hash(codes=codes)
        == "98c4dd7927ae412e46dbc50a4b50ece09a20799c4e42cf5611bdbc00ee30cbf4"
    )


def test_empty_population_hashes_the_empty_text():
    assert draw.population_text(codes=[]) == ""
    assert draw.population_hash(codes=[]) == hashlib.sha256(b"").hexdigest()


@pytest.mark.parametrize(
    "bad",
    [
        ["51440300MJL1712376", "51440300MJL1712376"],
        ["51440300MJL1712376", ""],
        ["51440300MJL1712376 "],
        ["5144:0300MJL1712376"],
        ["51440300MJL1712376\n52440300MJL186084F"],
        ["5144０300MJL1712376"],
    ],
)
def test_population_refuses_codes_the_protocol_cannot_publish(bad):
    with pytest.raises(draw.DrawError):
        draw.population_text(codes=bad)


def test_roster_refuses_duplicates_and_whitespace():
    with pytest.raises(draw.DrawError, match="重复"):
        draw.roster_text(codes=["FT-001", "FT-001"])
    with pytest.raises(draw.DrawError):
        draw.roster_text(codes=["FT 001"])


def test_nonce_hash_and_seed():
    # printf 'socialorg-draw/1:commit:' | cat - nonce.bin | sha256sum
    assert (
        draw.nonce_hash(nonce=NONCE)
        == hashlib.sha256(b"socialorg-draw/1:commit:" + NONCE).hexdigest()
    )
    # The commitment must never equal a seed: with an empty public value the seed is
    # SHA-256(nonce), and publishing that at creation would reveal the selection.
    assert draw.nonce_hash(nonce=NONCE) != draw.draw_seed(nonce=NONCE, public_value="").hex()
    assert draw.draw_seed(nonce=NONCE, public_value=PUBLIC_VALUE) == SEED
    assert draw.draw_seed(nonce=NONCE, public_value="") == hashlib.sha256(NONCE).digest()
    with pytest.raises(draw.DrawError):
        draw.draw_seed(nonce=b"short", public_value="")


def test_new_nonce_is_32_fresh_bytes():
    a, b = draw.new_nonce(), draw.new_nonce()
    assert len(a) == 32 and a != b


def test_ranks_match_openssl():
    # printf '51440300MJL1712376' | openssl dgst -sha256 -mac HMAC -macopt hexkey:<SEED>
    assert draw.rank(seed=SEED, uscc="51440300MJL1712376").hex() == (
        "ddeefca5d858fbf1c1d48d25bcf68565cd8673dc606775a35396dd58cf7c9f92"
    )
    assert draw.inspector_rank(
        seed=SEED, uscc="51440300MJL1712376", inspector="福田-003"
    ).hex() == ("46607418c87aa372cadea5fd496ad89763efefca3e1981a669d910b436936ce6")


# ----------------------------------------------------------------------------- selection


@pytest.mark.parametrize("k", [0, 1, 7, 100, 500, 1999, 2000])
def test_selection_equals_independent_reimplementation(k):
    codes = population(2000)
    assert draw.select(seed=SEED, codes=codes, k=k) == ref_select(SEED, codes, k)


def test_selection_does_not_depend_on_input_order():
    codes = population(500)
    shuffled = codes[:]
    random.Random(1).shuffle(shuffled)
    assert draw.select(seed=SEED, codes=shuffled, k=50) == draw.select(seed=SEED, codes=codes, k=50)


def test_selection_falls_back_to_a_full_sort_when_the_threshold_is_too_tight():
    # Ranks far above the expected quantile: the fast filter keeps nothing, the answer
    # must still be the k smallest.
    keyed = [b"\xff" * 31 + bytes([n % 256]) + f"C{n:04d}".encode() for n in range(3000)]
    expected = [x[32:].decode() for x in sorted(keyed)[:10]]
    assert draw._smallest(keyed, 10) == expected


def test_same_seed_same_draw_and_another_seed_another_draw():
    codes, staff = population(1000), roster(12)
    first = draw.execute(
        nonce=NONCE,
        public_value="A",
        ratio=Decimal("0.10"),
        roster=staff,
        conflicts={},
        population=codes,
    )
    again = draw.execute(
        nonce=NONCE,
        public_value="A",
        ratio=Decimal("0.10"),
        roster=staff,
        conflicts={},
        population=list(reversed(codes)),
    )
    other = draw.execute(
        nonce=NONCE,
        public_value="B",
        ratio=Decimal("0.10"),
        roster=staff,
        conflicts={},
        population=codes,
    )
    assert first.selected == again.selected and first.assignments == again.assignments
    assert len(first.selected) == 100
    assert set(first.selected) != set(other.selected)


def test_select_refuses_k_above_population():
    with pytest.raises(draw.DrawError):
        draw.select(seed=SEED, codes=TINY, k=4)


# ------------------------------------------------------------------------ stratification


@pytest.mark.parametrize(
    ("sizes", "k", "expected"),
    [
        ({"A": 50, "B": 30, "C": 20}, 10, {"A": 5, "B": 3, "C": 2}),
        # all remainders equal, all sizes equal: stratum name decides
        ({"A": 1, "B": 1, "C": 1}, 2, {"A": 1, "B": 1, "C": 0}),
        # equal remainders (both .5): the larger stratum gets the seat
        ({"A": 5, "B": 25}, 3, {"A": 0, "B": 3}),
        ({"B": 25, "A": 25}, 1, {"A": 1, "B": 0}),
        # 811 organizations at 10%: 29.96 and 51.04
        ({"社会团体": 300, "民办非企业单位": 511}, 81, {"社会团体": 30, "民办非企业单位": 51}),
        ({"A": 0, "B": 10}, 3, {"A": 0, "B": 3}),
        ({"A": 0, "B": 0}, 0, {"A": 0, "B": 0}),
    ],
)
def test_largest_remainder_allocation(sizes, k, expected):
    assert draw.allocate_strata(sizes=sizes, k=k) == expected


def test_allocation_refuses_more_than_the_population():
    with pytest.raises(draw.DrawError):
        draw.allocate_strata(sizes={"A": 2, "B": 1}, k=4)


@given(
    sizes=st.dictionaries(
        st.text(alphabet="ABCDEF社团民非", min_size=1, max_size=3),
        st.integers(min_value=0, max_value=500),
        min_size=1,
        max_size=8,
    ),
    data=st.data(),
)
def test_allocation_properties(sizes, data):
    total = sum(sizes.values())
    k = data.draw(st.integers(min_value=0, max_value=total))
    alloc = draw.allocate_strata(sizes=sizes, k=k)
    assert sum(alloc.values()) == k
    for key, size in sizes.items():
        quota = Fraction(k * size, total) if total else Fraction(0)
        assert math.floor(quota) <= alloc[key] <= math.floor(quota) + 1
        assert alloc[key] <= size
    # Hamilton: a stratum given the extra seat never has a smaller remainder than one denied it.
    if total:
        extra = [key for key in sizes if alloc[key] > k * sizes[key] // total]
        denied = [key for key in sizes if alloc[key] == k * sizes[key] // total]
        for a in extra:
            for b in denied:
                assert k * sizes[a] % total >= k * sizes[b] % total
    shuffled = dict(reversed(list(sizes.items())))
    assert draw.allocate_strata(sizes=shuffled, k=k) == alloc


def test_stratified_selection_applies_the_rule_inside_each_stratum():
    strata = {
        "社会团体": population(300, start=0),
        "民办非企业单位": population(511, start=1000),
    }
    result = draw.select_stratified(seed=SEED, strata=strata, k=81)
    assert result.allocation == {"社会团体": 30, "民办非企业单位": 51}
    for key, codes in strata.items():
        assert result.by_stratum[key] == ref_select(SEED, codes, result.allocation[key])
    assert result.selected == sorted(
        [u for us in result.by_stratum.values() for u in us], key=lambda u: (ref_rank(SEED, u), u)
    )


def test_strata_must_not_overlap():
    with pytest.raises(draw.DrawError, match="重复"):
        draw.select_stratified(seed=SEED, strata={"A": TINY, "B": TINY[:1]}, k=1)


# ---------------------------------------------------------------- inspector assignment


@st.composite
def assignment_case(draw_, *, with_conflicts: bool = True):
    per_org = draw_(st.integers(min_value=1, max_value=3))
    size = draw_(st.integers(min_value=per_org, max_value=12))
    staff = roster(size)
    orgs = population(draw_(st.integers(min_value=0, max_value=40)))
    conflicts = {}
    if with_conflicts:
        for u in orgs:
            allowed = size - per_org
            excluded = draw_(st.sets(st.sampled_from(staff), max_size=allowed))
            if excluded:
                conflicts[u] = excluded
    window = draw_(st.integers(min_value=per_org, max_value=15))
    seed = draw_(st.binary(min_size=32, max_size=32))
    return seed, orgs, staff, conflicts, per_org, window


@settings(max_examples=150, deadline=None)
@given(case=assignment_case())
def test_assignment_equals_the_documented_rule_and_never_uses_a_conflict(case):
    seed, orgs, staff, conflicts, per_org, window = case
    result = draw.assign_inspectors(
        seed=seed, selected=orgs, roster=staff, conflicts=conflicts, per_org=per_org, window=window
    )
    assert result == ref_assign(seed, orgs, staff, conflicts, per_org, window)
    assert list(result) == orgs
    for u, inspectors in result.items():
        assert len(set(inspectors)) == len(inspectors) == per_org
        assert set(inspectors) <= set(staff)
        assert not set(inspectors) & conflicts.get(u, set())


@settings(max_examples=150, deadline=None)
@given(case=assignment_case())
def test_nobody_is_assigned_while_an_eligible_colleague_has_a_lower_load(case):
    """The load rule, replayed: the bound ceil(p·k/R) + 1 is only passed when forced."""
    seed, orgs, staff, conflicts, per_org, window = case
    result = draw.assign_inspectors(
        seed=seed, selected=orgs, roster=staff, conflicts=conflicts, per_org=per_org, window=window
    )
    bound = draw.load_bound(k=len(orgs), roster_size=len(staff), per_org=per_org)
    assert bound == math.ceil(per_org * len(orgs) / len(staff)) + 1
    load = Counter()
    for u in orgs:
        eligible = [i for i in staff if i not in conflicts.get(u, set())]
        chosen = result[u]
        for i in chosen:
            assert all(load[j] >= load[i] for j in eligible if j not in chosen)
            if load[i] >= bound:
                assert sum(1 for j in eligible if load[j] < bound) < per_org
        for i in chosen:
            load[i] += 1


@settings(max_examples=100, deadline=None)
@given(case=assignment_case(with_conflicts=False))
def test_without_conflicts_loads_differ_by_at_most_one(case):
    seed, orgs, staff, _, per_org, window = case
    result = draw.assign_inspectors(
        seed=seed, selected=orgs, roster=staff, conflicts={}, per_org=per_org, window=window
    )
    load = Counter({i: 0 for i in staff})
    load.update(i for inspectors in result.values() for i in inspectors)
    assert max(load.values()) - min(load.values()) <= 1
    assert max(load.values()) <= math.ceil(per_org * len(orgs) / len(staff))


@settings(max_examples=60, deadline=None)
@given(case=assignment_case())
def test_a_window_covering_the_roster_picks_among_all_least_loaded(case):
    """window ≥ roster size is the plain rule: lowest load, ties by HMAC rank, then code."""
    seed, orgs, staff, conflicts, per_org, _ = case
    result = draw.assign_inspectors(
        seed=seed,
        selected=orgs,
        roster=staff,
        conflicts=conflicts,
        per_org=per_org,
        window=len(staff),
    )
    load = Counter()
    for u in orgs:
        eligible = [i for i in staff if i not in conflicts.get(u, set())]
        best = sorted(eligible, key=lambda i: (load[i], ref_inspector_rank(seed, u, i), i))
        assert result[u] == best[:per_org]
        load.update(best[:per_org])


def test_too_few_eligible_inspectors_is_an_error_naming_the_organization():
    orgs = population(5)
    staff = roster(3)
    conflicts = {orgs[2]: {"FT-000", "FT-001"}}
    with pytest.raises(draw.InsufficientInspectorsError) as caught:
        draw.assign_inspectors(seed=SEED, selected=orgs, roster=staff, conflicts=conflicts)
    assert orgs[2] in str(caught.value) and "R-INS-04" in str(caught.value)
    assert caught.value.shortages == {orgs[2]: 1}
    with pytest.raises(draw.InsufficientInspectorsError):
        draw.execute(
            nonce=NONCE,
            public_value="",
            ratio=Decimal("1"),
            roster=staff,
            conflicts=conflicts,
            population=orgs,
        )
    with pytest.raises(draw.InsufficientInspectorsError):
        draw.commit(
            ratio=Decimal("0.10"),
            roster=staff,
            conflicts=conflicts,
            nonce=NONCE,
            population=orgs,
        )


def test_a_roster_of_one_cannot_staff_any_inspection():
    with pytest.raises(draw.InsufficientInspectorsError):
        draw.assign_inspectors(seed=SEED, selected=TINY, roster=["FT-000"], conflicts={})


def test_window_smaller_than_inspectors_per_org_is_refused():
    with pytest.raises(draw.DrawError, match="候选窗口"):
        draw.assign_inspectors(seed=SEED, selected=TINY, roster=roster(5), conflicts={}, window=1)
