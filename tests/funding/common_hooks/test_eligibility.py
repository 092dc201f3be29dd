"""common.eligibility: obstacle providers registered by other apps, asked by purpose."""

from __future__ import annotations

import datetime

import pytest

from common import eligibility

ON = datetime.date(2022, 3, 1)


def test_merges_providers_serving_the_purpose_and_drops_unasked_ids():
    def credit(ids, on):
        return {1: [f"列入活动异常名录（{on}）"], 99: ["不该出现"]}

    def report(ids, on):
        return {1: ["2021年度报告未按时报送"], 2: ["2021年度报告未按时报送"]}

    eligibility.register_obstacle_provider(credit)
    eligibility.register_obstacle_provider(report, purposes=[eligibility.CATALOG])
    assert eligibility.organization_obstacles([1, 2, 3], ON, purpose=eligibility.FUND) == {
        1: ["列入活动异常名录（2022-03-01）"]
    }
    assert eligibility.organization_obstacles([1, 2, 3], ON, purpose=eligibility.CATALOG) == {
        1: ["列入活动异常名录（2022-03-01）", "2021年度报告未按时报送"],
        2: ["2021年度报告未按时报送"],
    }


def test_none_asks_about_everyone_and_empty_list_asks_nobody():
    seen = []

    def provider(ids, on):
        seen.append(ids)
        return {7: ["x"]}

    eligibility.register_obstacle_provider(provider)
    assert eligibility.organization_obstacles(None, ON) == {7: ["x"]}
    assert eligibility.organization_obstacles([], ON) == {}
    assert seen == [None]


def test_registering_twice_keeps_one_and_unknown_purpose_is_refused():
    def provider(ids, on):
        return {1: ["x"]}

    eligibility.register_obstacle_provider(provider)
    eligibility.register_obstacle_provider(provider)
    assert eligibility.organization_obstacles([1], ON) == {1: ["x"]}
    with pytest.raises(ValueError):
        eligibility.register_obstacle_provider(provider, purposes=["bogus"])


def test_merge_keeps_provider_order_whichever_answer_is_largest():
    def listing(ids, on):
        return {2: ["列入活动异常名录"]}

    def history(ids, on):
        return {3: ["近3年内曾列入活动异常名录"], 4: []}

    def report(ids, on):  # the large answer of a whole-register check
        return {n: ["年度报告未按时报送"] for n in range(1, 50)}

    for provider in (listing, history, report):
        eligibility.register_obstacle_provider(provider)
    merged = eligibility.organization_obstacles(None, ON)
    assert merged[2] == ["列入活动异常名录", "年度报告未按时报送"]
    assert merged[3] == ["近3年内曾列入活动异常名录", "年度报告未按时报送"]
    assert merged[1] == merged[4] == ["年度报告未按时报送"]
    assert len(merged) == 49
    assert eligibility.organization_obstacles([2, 60], ON) == {2: merged[2]}


def test_snapshot_memo_answers_once_inside_a_snapshot_and_afresh_outside():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert eligibility.snapshot_memo("k", compute) == 1
    assert eligibility.snapshot_memo("k", compute) == 2  # no snapshot: nothing remembered
    with eligibility.eligibility_snapshot():
        assert eligibility.snapshot_memo("k", compute) == 3
        assert eligibility.snapshot_memo("k", compute) == 3
        assert eligibility.snapshot_memo("other", compute) == 4
    with eligibility.eligibility_snapshot():  # a new check reads afresh
        assert eligibility.snapshot_memo("k", compute) == 5
