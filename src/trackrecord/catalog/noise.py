"""How much of a score is luck: the bootstrap standard error of a private score.

Medals must sit outside the noise (DESIGN.md, rule 2), so every project stores the standard
error (SE) of its reference's private score: the spread of the metric over answer keys
resampled with replacement. The resampling unit follows the data: rows for independent
rows, whole queries for ranking (a query's rows are scored together), whole groups for a
group split (a school's pupils, a person's years: their errors move together), and blocks
of consecutive rows for forecasts, whose errors are correlated in time (a moving-block
bootstrap; resampling single days would make the noise look smaller than it is).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from trackrecord.errors import InvalidMetricInput
from trackrecord.scoring.engine import Aligned
from trackrecord.scoring.solution import PRIVATE

RESAMPLES = 400
SEED = 20240601


def _row_draws(n: int, rng: np.random.Generator, block: int) -> NDArray[np.intp]:
    if block <= 1:
        return rng.integers(0, n, size=n)
    starts = rng.integers(0, n - block + 1, size=-(-n // block))
    return (starts[:, None] + np.arange(block)[None, :]).ravel()[:n]


class _Groups:
    """Rows by group, computed once: a bootstrap draws whole groups hundreds of times."""

    def __init__(self, groups: NDArray[np.generic]) -> None:
        _, codes = np.unique(groups, return_inverse=True)
        self.order = np.argsort(codes, kind="stable")
        self.bounds = np.searchsorted(codes[self.order], np.arange(codes.max() + 2))

    def draw(self, rng: np.random.Generator) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """Rows of whole groups drawn with replacement, and a fresh group id per draw."""
        count = len(self.bounds) - 1
        picked = rng.integers(0, count, size=count)
        rows = [self.order[self.bounds[g] : self.bounds[g + 1]] for g in picked]
        new_ids = np.repeat(np.arange(len(picked)), [len(r) for r in rows])
        return np.concatenate(rows), new_ids


def bootstrap_se(
    data: Aligned,
    *,
    split: int = PRIVATE,
    ordered: bool = False,
    clusters: NDArray[np.generic] | None = None,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> float:
    """The standard deviation of the metric over `resamples` bootstrap answer keys.

    `ordered`: rows are in time order (forecasts), so resample blocks of about n^(1/3)
    consecutive rows. Rows follow the answer key's order, which is time order for every
    time-split project (the build checks it). `clusters`: one group label per answer-key row
    (a group split): resample whole groups; the metric never sees them (a ranking metric's
    own query groups are resampled whole anyway).
    """
    y_true, y_pred, params = data.split(split)
    groups = params.pop("groups", None)
    if groups is None and clusters is not None:
        unit: _Groups | None = _Groups(np.compress(data.usage == split, clusters))
    else:
        unit = _Groups(groups) if groups is not None else None
    rng = np.random.default_rng(seed)
    n = len(y_true)
    block = max(1, round(n ** (1 / 3))) if ordered else 1
    values = []
    for _ in range(resamples):
        call = dict(params)
        if unit is not None:
            idx, new_ids = unit.draw(rng)
            if groups is not None:
                call["groups"] = new_ids
        else:
            idx = _row_draws(n, rng, block)
        try:
            values.append(data.metric(y_true[idx], y_pred[idx], **call))
        except InvalidMetricInput:  # e.g. a resample with one class only (ROC AUC)
            continue
    if len(values) < resamples // 2:
        raise ValueError(f"only {len(values)} of {resamples} bootstrap resamples could be scored")
    return float(np.std(values, ddof=1))
