"""The metric registry.

A metric is a named, typed contract: a direction (higher or lower is better), an input kind
that tells the scorer what a submission column must hold, a validator, and a function that
returns a float. Built-in metrics register through `register` exactly as a plugin would.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import NDArray

from trackrecord.errors import InvalidMetricInput, UnknownMetric


class Direction(StrEnum):
    MAXIMIZE = "maximize"
    MINIMIZE = "minimize"


class InputKind(StrEnum):
    """What the prediction columns of a submission hold."""

    LABELS = "labels"  # one column of class labels (y_true: labels)
    PROBABILITIES = "probabilities"  # binary: one column P(positive); multiclass: one per class
    VALUES = "values"  # one column of real numbers (regression, forecasts)
    SCORES = "scores"  # one column of real-valued scores ranked within groups (ranking)
    MULTILABEL = "multilabel"  # one 0/1 column per label
    CLUSTERS = "clusters"  # one column of cluster ids; only co-membership matters
    RISK = "risk"  # one column of risk scores; y_true is (time, event)


FloatArray = NDArray[np.float64]
MetricFn = Callable[..., float]


@dataclass(frozen=True)
class Metric:
    """A registered metric.

    `fn(y_true, y_pred, **params)` receives numpy arrays already validated by `validate`.
    Shapes: y_true is (n,) except for MULTILABEL (n, k) and RISK (n, 2: time, event);
    y_pred is (n,) except multiclass PROBABILITIES and MULTILABEL, which are (n, k).
    Params a metric may use: `labels` (class order of the prediction columns, and the allowed
    label set), `groups` (query id per row, for ranking), `k`, `scale` (MASE), `pos_label`.
    """

    name: str
    direction: Direction
    kind: InputKind
    fn: MetricFn
    description: str
    sklearn: str | None = None  # the scikit-learn function that is this metric's oracle
    needs_two_classes: bool = False
    params: Sequence[str] = ()
    validate: Callable[[Any, Any, Mapping[str, Any]], None] | None = None
    aliases: Sequence[str] = field(default_factory=tuple)
    # The lowest valid prediction (VALUES kinds), checked per line over the whole file
    # before any split is scored, so an error names a line and never reveals a split.
    min_prediction: float | None = None
    min_exclusive: bool = False  # True: predictions must be strictly above min_prediction

    @property
    def greater_is_better(self) -> bool:
        return self.direction is Direction.MAXIMIZE

    @property
    def counts_a_positive_label(self) -> bool:
        """Reads hard labels and counts one class (F1): a binary challenge's `labels` say
        which, as (negative, positive)."""
        return self.kind is InputKind.LABELS and "pos_label" in self.params

    def better(self, a: float, b: float) -> bool:
        """True when score `a` is strictly better than `b`."""
        return a > b if self.greater_is_better else a < b

    def at_least_as_good(self, a: float, b: float) -> bool:
        return a >= b if self.greater_is_better else a <= b

    def __call__(self, y_true: Any, y_pred: Any, **params: Any) -> float:
        unknown = set(params) - set(self.params)
        if unknown:
            raise InvalidMetricInput(
                f"metric {self.name!r} takes no parameter(s) {', '.join(sorted(unknown))}"
            )
        yt = np.asarray(y_true)
        yp = np.asarray(y_pred)
        if yt.shape[0] == 0:
            raise InvalidMetricInput(f"metric {self.name!r} needs at least one row")
        if yt.shape[0] != yp.shape[0]:
            raise InvalidMetricInput(
                f"metric {self.name!r}: {yt.shape[0]} true values but {yp.shape[0]} predictions"
            )
        if yp.dtype.kind == "f" and not np.all(np.isfinite(yp)):
            raise InvalidMetricInput(f"metric {self.name!r}: predictions contain NaN or inf")
        if self.validate is not None:
            self.validate(yt, yp, params)
        value = float(self.fn(yt, yp, **params))
        if math.isnan(value):
            raise InvalidMetricInput(f"metric {self.name!r} is undefined for these inputs")
        return value


_REGISTRY: dict[str, Metric] = {}
_ALIASES: dict[str, str] = {}


def _normalize(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def register(metric: Metric) -> Metric:
    """Add a metric to the registry; names and aliases are case- and dash-insensitive."""
    key = _normalize(metric.name)
    if key in _REGISTRY or key in _ALIASES:
        raise ValueError(f"metric {metric.name!r} is already registered")
    _REGISTRY[key] = metric
    for alias in metric.aliases:
        _ALIASES[_normalize(alias)] = key
    return metric


def metric(
    name: str,
    *,
    direction: Direction,
    kind: InputKind,
    description: str,
    sklearn: str | None = None,
    needs_two_classes: bool = False,
    params: Sequence[str] = (),
    validate: Callable[[Any, Any, Mapping[str, Any]], None] | None = None,
    aliases: Sequence[str] = (),
    min_prediction: float | None = None,
    min_exclusive: bool = False,
) -> Callable[[MetricFn], Metric]:
    """Decorator form of `register`."""

    def wrap(fn: MetricFn) -> Metric:
        return register(
            Metric(
                name=name,
                direction=direction,
                kind=kind,
                fn=fn,
                description=description,
                sklearn=sklearn,
                needs_two_classes=needs_two_classes,
                params=tuple(params),
                validate=validate,
                aliases=tuple(aliases),
                min_prediction=min_prediction,
                min_exclusive=min_exclusive,
            )
        )

    return wrap


def get_metric(name: str) -> Metric:
    """Look a metric up by name or alias; an unknown name lists the known ones."""
    _load_builtins()
    key = _normalize(name)
    key = _ALIASES.get(key, key)
    try:
        return _REGISTRY[key]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise UnknownMetric(f"unknown metric {name!r}; known metrics: {known}") from None


def all_metrics() -> Iterator[Metric]:
    _load_builtins()
    yield from sorted(_REGISTRY.values(), key=lambda m: m.name)


_BUILTINS_LOADED = False
# Server threads look metrics up concurrently: the flag is set only once the import is done,
# so no thread sees an empty registry while another one is still importing the built-ins.
_BUILTINS_LOCK = threading.RLock()


def _load_builtins() -> None:
    # Imported lazily so a third-party registration never races the built-ins' import order.
    global _BUILTINS_LOADED
    if _BUILTINS_LOADED:
        return
    with _BUILTINS_LOCK:
        if not _BUILTINS_LOADED:
            from trackrecord.metrics import builtin  # noqa: F401

            _BUILTINS_LOADED = True
