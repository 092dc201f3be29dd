"""The app's models module, as Django expects it: each subject owns its models in its own
sub-package (docs/architecture.md); this module only gathers them. Code inside oversight
imports a subject's models from that subject, never from here."""

from oversight.annual_reports.models import AnnualReport, AnnualReportCycle
from oversight.credit.models import (
    CreditListing,
    CreditProposal,
    CreditRemoval,
    CreditRemovalApplication,
    Penalty,
    SpecialLetter,
)
from oversight.inspections.models import (
    Audit,
    Circular,
    Inspection,
    InspectionAssignment,
    InspectionDraw,
    Inspector,
    InspectorConflict,
    Interview,
    JointInspection,
)
from oversight.zombies.models import ZombieCase, ZombieFlag

__all__ = [
    "AnnualReport",
    "AnnualReportCycle",
    "Audit",
    "Circular",
    "CreditListing",
    "CreditProposal",
    "CreditRemoval",
    "CreditRemovalApplication",
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
