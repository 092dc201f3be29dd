"""Supervision records (DESIGN.md §4): one module per subject, re-exported here."""

from .credit import CreditListing, CreditProposal, CreditRemoval, Penalty, SpecialLetter
from .inspections import (
    Inspection,
    InspectionAssignment,
    InspectionDraw,
    Inspector,
    InspectorConflict,
)
from .records import Audit, Circular, Interview, JointInspection
from .reports import AnnualReport, AnnualReportCycle
from .zombies import ZombieCase, ZombieFlag

__all__ = [
    "AnnualReport",
    "AnnualReportCycle",
    "Audit",
    "Circular",
    "CreditListing",
    "CreditProposal",
    "CreditRemoval",
    "Inspection",
    "InspectionAssignment",
    "InspectionDraw",
    "Inspector",
    "InspectorConflict",
    "Interview",
    "JointInspection",
    "Penalty",
    "SpecialLetter",
    "ZombieCase",
    "ZombieFlag",
]
