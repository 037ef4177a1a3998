"""Metrics: a registry of named, typed scoring functions."""

from trackrecord.metrics.registry import (
    Direction,
    InputKind,
    Metric,
    all_metrics,
    get_metric,
    metric,
    register,
)

__all__ = ["Direction", "InputKind", "Metric", "all_metrics", "get_metric", "metric", "register"]
