"""Seed step of the reports app: today's public register extract over the seeded register, so
the public page of `make run` shows one (the daily beat job publishes the next ones)."""

from registry.demo.steps import DEMO, SeedContext, register_seed_step
from reports.register_extract import register_extract_publish


@register_seed_step("reports.register_extract", order=900, modes=(DEMO,))
def _register_extract_step(ctx: SeedContext) -> str:
    extract = register_extract_publish()
    return f"公开登记信息数据包 {extract.published_on}: {extract.row_count} 条, SHA-256 {extract.sha256}"
