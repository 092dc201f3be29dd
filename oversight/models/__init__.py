"""Supervision records (DESIGN.md §4): one module per subject, re-exported here."""

from .inspections import (
    Inspection,
    InspectionAssignment,
    InspectionDraw,
    Inspector,
    InspectorConflict,
)
from .records import Audit, Circular, Interview, JointInspection
from .reports import AnnualReport, AnnualReportCycle

__all__ = [
    "AnnualReport",
    "AnnualReportCycle",
    "Audit",
    "Circular",
    "Inspection",
    "InspectionAssignment",
    "InspectionDraw",
    "Inspector",
    "InspectorConflict",
    "Interview",
    "JointInspection",
]
