"""Risk triage of visitor messages: each message gets a level and category reasons so the queue
and supervisors see danger early. Reasons never contain text from the message."""

from server.triage.normalise import normalise
from server.triage.scorer import (
    CATEGORIES,
    LexiconScorer,
    RiskAssessment,
    RiskLevel,
    RiskScorer,
    default_scorer,
    max_level,
)

__all__ = [
    "CATEGORIES",
    "LexiconScorer",
    "RiskAssessment",
    "RiskLevel",
    "RiskScorer",
    "default_scorer",
    "max_level",
    "normalise",
]
