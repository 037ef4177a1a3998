"""Built-in metrics, registered the same way a plugin would register its own."""

from trackrecord.metrics import classification, clustering, ranking, regression, survival

__all__ = ["classification", "clustering", "ranking", "regression", "survival"]
