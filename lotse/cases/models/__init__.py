"""Case management models (Baustein 2), split by part of the case."""

from lotse.cases.models.case import (
    Case,
    CaseNumberCounter,
    CaseSettings,
    CaseStatus,
    ClosureReason,
    Handover,
    HandoverKind,
    HouseholdMember,
    HouseholdRelation,
    Identity,
    IntakeChannel,
)
from lotse.cases.models.document import Document
from lotse.cases.models.referral import REFERRAL_TRANSITIONS, Referral, ReferralStatus
from lotse.cases.models.substitution import Absence, SubstituteNomination
from lotse.cases.models.work import (
    Assessment,
    AssessmentEntry,
    Barrier,
    Contact,
    ContactKind,
    FollowUp,
    Goal,
    GoalStatus,
    GoalStep,
    StepActor,
)

__all__ = [
    "REFERRAL_TRANSITIONS",
    "Absence",
    "Assessment",
    "AssessmentEntry",
    "Barrier",
    "Case",
    "CaseNumberCounter",
    "CaseSettings",
    "CaseStatus",
    "ClosureReason",
    "Contact",
    "ContactKind",
    "Document",
    "FollowUp",
    "Goal",
    "GoalStatus",
    "GoalStep",
    "Handover",
    "HandoverKind",
    "HouseholdMember",
    "HouseholdRelation",
    "Identity",
    "IntakeChannel",
    "Referral",
    "ReferralStatus",
    "StepActor",
    "SubstituteNomination",
]
