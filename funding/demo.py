"""Demo data of funding (`manage.py seed_demo` finds this module): each subject seeds
through its services, after the register and the supervision records it builds on."""

from __future__ import annotations

from funding.catalog.demo import catalog_demo_seed
from funding.grants.demo import grants_demo_seed
from funding.ratings.demo import ratings_demo_seed
from funding.services_records.demo import services_demo_seed
from registry.demo import DEMO, SeedContext, register_seed_step


@register_seed_step("funding.grants", order=400, modes=(DEMO,))
def _grants_step(ctx: SeedContext) -> str:
    created = grants_demo_seed()
    return (
        f"专项资金：新建 {created} 个申报项目。"
        if created
        else "专项资金演示数据已存在，未做改动。"
    )


@register_seed_step("funding.ratings", order=410, modes=(DEMO,))
def _ratings_step(ctx: SeedContext) -> str:
    created = ratings_demo_seed()
    return f"等级评估：新建 {created} 个评估批次。" if created else "等级评估批次已存在，未做改动。"


@register_seed_step("funding.catalog", order=420, modes=(DEMO,))
def _catalog_step(ctx: SeedContext) -> str:
    created = catalog_demo_seed()
    return f"购买服务目录：发布 {created} 版。" if created else "购买服务目录已存在，未做改动。"


@register_seed_step("funding.service_records", order=430, modes=(DEMO,))
def _services_step(ctx: SeedContext) -> str:
    created = services_demo_seed()
    return f"服务记录：新建 {created} 条。" if created else "服务记录已存在，未做改动。"
