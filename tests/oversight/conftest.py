"""Fixtures shared by the supervision tests."""

import datetime

import pytest

from oversight.inspections.choices import DrawKind
from oversight.inspections.draw_services import inspection_draw_create, inspection_draw_execute
from tests.oversight.factories import InspectorFactory
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory

D = datetime.date


@pytest.fixture
def executed_draw(db):
    unit = SupervisingUnitFactory()
    for _ in range(12):
        OrganizationFactory(supervising_unit=unit)
    for _ in range(4):
        InspectorFactory()
    draw, _ = inspection_draw_create(
        kind=DrawKind.ANNUAL_REPORT_AUDIT, year=2021, ratio="0.5", as_of=D(2022, 6, 1)
    )
    draw, _ = inspection_draw_execute(draw_id=draw.pk)
    return draw
