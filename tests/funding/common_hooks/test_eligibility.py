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
