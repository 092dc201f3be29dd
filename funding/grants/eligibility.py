"""Live eligibility of an organization for the special fund (R-FND-04, R-CRD-13, D12).

Checked at application, approval and each payment: the organization's lifecycle on the
register, and every obstacle another app reports through `common.eligibility` (credit
listings, which oversight registers — funding never imports oversight).
"""

from __future__ import annotations

import datetime

from common.eligibility import FUND, organization_obstacles
from registry.models import Organization


def lifecycle_obstacle(organization: Organization, on: datetime.date) -> str | None:
    """Why the register bars `organization` on `on`, or None: only an organization that was
    正常 on that day qualifies. Read from the dates, so a past payment is judged by the
    register of its day, and today's check by today's."""
    if organization.established_on > on:
        return f"{on}尚未成立（成立日期{organization.established_on}）"
    if organization.revoked_on and organization.revoked_on <= on:
        return f"已于{organization.revoked_on}撤销登记"
    if organization.deregistered_on and organization.deregistered_on <= on:
        return f"已于{organization.deregistered_on}注销"
    started = organization.deregistration_started_on
    if started and started <= on:
        return f"注销办理中（{started}受理）"
    return None


def grant_obstacles(*, organization: Organization, on: datetime.date) -> list[str]:
    """Every reason the organization may not apply, be approved or be paid on `on`."""
    reasons = []
    lifecycle = lifecycle_obstacle(organization, on)
    if lifecycle:
        reasons.append(lifecycle)
    reasons.extend(
        organization_obstacles([organization.pk], on, purpose=FUND).get(organization.pk, [])
    )
    return reasons
