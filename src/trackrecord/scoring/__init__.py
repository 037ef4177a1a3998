"""Scoring: submission file -> strict validation -> join by id -> public and private scores."""

from trackrecord.scoring.engine import ScoreResult, score, score_frame

__all__ = ["ScoreResult", "score", "score_frame"]
