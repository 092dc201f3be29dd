"""Deterministic demo data of the register and a large synthetic register (`manage.py seed_demo`).

Two data sets:

* the Futian demo set (`demo_register_seed`): 765 organizations on the register on
  2022-06-30 (473 民办非企业单位, 292 社会团体 of which 22 行业协会商会), with registrations,
  deregistrations and revocations over 2015–2022 such that the register held 811
  organizations on 2021-06-01 and 766 on 2022-06-01 — the figures DESIGN.md §4.2 checks the
  sample size with. No lifecycle event falls after 2022-06-30, so 765 is also today's
  register. Built from `random.Random(DEMO_SEED)`: two runs on empty databases give the same
  rows. Running it again creates only what is missing (matched by USCC).
* a synthetic register of N organizations (`synthetic_register_seed`) for load tests, written
  with COPY on PostgreSQL. Row i of the synthetic register is always the same organization,
  with the USCC body `MJY` + i in base 31, so a second run appends only rows it lacks.

Other apps add their own demo data as seed steps: a `demo.py` module in the app calling
`register_seed_step(...)`; the command imports every app's `demo` module and runs the steps
in `order`.

Layout of this package:
  steps.py      the seed-step framework other apps register with (`register_seed_step`)
  reference.py  reference data: supervising units, names, places, quotas of the demo set
  units.py      supervising units
  plan.py       the demo register as a pure plan (`demo_register_plan`)
  register.py   its writes through the registry's services, with history
  synthetic.py  the synthetic register of `seed_demo --orgs N` (COPY on PostgreSQL)
"""

from __future__ import annotations

from .plan import PlannedOrganization, demo_register_plan
from .reference import (
    DEMO_AS_OF,
    DEMO_CHANGE_REASON,
    FUTIAN_DIVISION_CODE,
    GIVEN_CHARS,
    STREETS,
    SURNAMES,
    SYNTHETIC_CHANGE_REASON,
)
from .register import demo_register_seed
from .steps import DEMO, SYNTHETIC, SeedContext, SeedStep, register_seed_step, seed_steps
from .synthetic import synthetic_register_seed, synthetic_uscc
from .units import supervising_units_seed

__all__ = [
    "DEMO",
    "DEMO_AS_OF",
    "DEMO_CHANGE_REASON",
    "FUTIAN_DIVISION_CODE",
    "GIVEN_CHARS",
    "STREETS",
    "SURNAMES",
    "SYNTHETIC",
    "SYNTHETIC_CHANGE_REASON",
    "PlannedOrganization",
    "SeedContext",
    "SeedStep",
    "demo_register_plan",
    "register_seed_step",
    "seed_steps",
    "synthetic_uscc",
]


# ---------------------------------------------------------------------------------------------
# The registry's own steps.


@register_seed_step("registry.supervising_units", order=100, modes=(DEMO, SYNTHETIC))
def _supervising_units_step(ctx: SeedContext) -> str:
    created, present = supervising_units_seed()
    return f"业务主管单位：新建 {created} 个，已存在 {present} 个。"


@register_seed_step("registry.register", order=110, modes=(DEMO,))
def _demo_register_step(ctx: SeedContext) -> str:
    result = demo_register_seed()
    if result.created == 0:
        return (
            f"演示登记簿已存在（{result.planned} 个组织，在册 {result.registered} 个），未做改动。"
        )
    done = "新建" if result.created == result.planned else "补齐缺少的"
    return (
        f"演示登记簿：{done} {result.created} 个组织、{result.ratings_created} 条等级评估；"
        f"演示登记簿在册 {result.registered} 个（{DEMO_AS_OF}）。"
    )


@register_seed_step("registry.synthetic_register", order=110, modes=(SYNTHETIC,))
def _synthetic_register_step(ctx: SeedContext) -> str:
    result = synthetic_register_seed(ctx.orgs or 0, log=ctx.log)
    if result.created == 0:
        return f"合成登记簿已有 {result.existing:,} 个组织（≥ {result.requested:,}），未做改动。"
    return (
        f"合成登记簿：新增 {result.created:,} 个组织（原有 {result.existing:,}），"
        f"用时 {result.seconds:.1f} 秒。"
    )
