"""Project families: the kinds of problem the ladder teaches, for pictures and lists.

A family is read off what a project already declares (its task, metric and skills), so a
teacher's new project folder lands in the right family without saying so. The order of
FAMILIES is the order a ladder draws them in, roughly from first models to specialities.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

FAMILIES: tuple[str, ...] = (
    "classification",
    "regression",
    "count and ordinal",
    "forecasting",
    "sequence classification",
    "text",
    "images",
    "clustering",
    "anomaly detection",
    "survival",
    "recommendation and ranking",
    "multilabel",
    "other",
)

_BY_TASK = {
    "binary-classification": "classification",
    "multiclass-classification": "classification",
    "regression": "regression",
    "time-series-forecasting": "forecasting",
    "text": "text",
    "image": "images",
    "clustering": "clustering",
    "anomaly-detection": "anomaly detection",
    "survival": "survival",
    "recommendation-ranking": "recommendation and ranking",
    "multilabel": "multilabel",
}
_COUNT_OR_ORDINAL_METRICS = {"poisson_deviance", "quadratic_weighted_kappa"}


class Classifiable(Protocol):
    @property
    def task(self) -> str: ...
    @property
    def metric(self) -> str: ...
    @property
    def skills(self) -> tuple[str, ...]: ...


def family(project: Classifiable) -> str:
    """The family a project belongs to: sequences and count/ordinal targets are told apart
    by their skill or metric; everything else by its task."""
    if "time-series-classification" in project.skills:
        return "sequence classification"
    if project.metric in _COUNT_OR_ORDINAL_METRICS:
        return "count and ordinal"
    return _BY_TASK.get(project.task, "other")


def family_order(families: Sequence[str]) -> list[str]:
    """The given families in the ladder's order (unknown names last, alphabetically)."""
    rank = {name: i for i, name in enumerate(FAMILIES)}
    return sorted(set(families), key=lambda f: (rank.get(f, len(rank)), f))
