"""Mastery: per-skill ability estimates with uncertainty, and project recommendations."""

from trackrecord.mastery.model import MasteryModel, MasteryParams
from trackrecord.mastery.recommend import recommend
from trackrecord.mastery.types import (
    Attempt,
    ItemInfo,
    ProjectInfo,
    Recommendation,
    SkillEstimate,
    normalized_outcome,
)

__all__ = [
    "Attempt",
    "ItemInfo",
    "MasteryModel",
    "MasteryParams",
    "ProjectInfo",
    "Recommendation",
    "SkillEstimate",
    "normalized_outcome",
    "recommend",
]
