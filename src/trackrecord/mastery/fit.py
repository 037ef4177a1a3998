"""Batch refit: difficulties from all learners, then the logistic predictor's weights.

1. Rates: the population log-odds, each skill's and each item's success rate, shrunk
   toward its prior (skill -> population, item -> its level or its skills) by
   ``item_prior_strength`` pseudo-attempts; difficulty = base log-odds - rate log-odds.
2. Replay: every learner's attempts in time order through the online engine, recording the
   features seen *before* each attempt. The item difficulty inside ``kz`` leaves out the
   attempt being predicted, so the predictor cannot learn to trust a leaked answer.
3. L2-regularized logistic regression (L-BFGS) on those features; outcomes may be fractional.
4. Learner states are rebuilt by replaying the attempts once more with the new parameters.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
from scipy import optimize, sparse

from trackrecord.mastery.features import Features
from trackrecord.mastery.model import MasteryModel
from trackrecord.mastery.state import LearnerState, Track
from trackrecord.mastery.types import Attempt, as_seconds

Sequence_ = list[tuple[float, str, float]]  # (time, item, outcome) of one learner, in order


def fit_model(model: MasteryModel, attempts: Iterable[Attempt]) -> None:
    """Refit ``model`` in place from ``attempts`` (see the module docstring)."""
    sequences = group_by_learner(model, attempts)
    if not sequences:
        raise ValueError("no attempts to fit on")
    item_sums = fit_difficulties(model, sequences)
    rows, ys = replay_features(model, sequences, item_sums)
    model.params.weights = fit_logistic(rows, ys, model.params.l2, model.params.l2_ids)
    model.learners.clear()
    for learner, seq in sequences.items():
        state = model.learner_state(learner)
        for t, item, y in seq:
            model._observe(state, model.items[item], y, t, model.difficulty(item))


def group_by_learner(model: MasteryModel, attempts: Iterable[Attempt]) -> dict[str, Sequence_]:
    """Validated attempts per learner, stably sorted by time."""
    out: dict[str, Sequence_] = defaultdict(list)
    for a in attempts:
        model.item(a.item)
        out[a.learner].append((as_seconds(a.time), a.item, model.check_outcome(a.outcome)))
    for seq in out.values():
        seq.sort(key=lambda row: row[0])
    return dict(out)


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def fit_difficulties(
    model: MasteryModel, sequences: dict[str, Sequence_]
) -> dict[str, tuple[float, float]]:
    """Set base log-odds and skill/item difficulties; return item -> (sum y, count)."""
    params = model.params
    m = params.item_prior_strength
    items: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    skills: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for seq in sequences.values():
        for _, item, y in seq:
            items[item][0] += y
            items[item][1] += 1
            for skill in model.items[item].skills:
                skills[skill][0] += y
                skills[skill][1] += 1
    total = sum(s for s, _ in items.values()), sum(n for _, n in items.values())
    rate = total[0] / total[1]
    params.base_logit = _logit(rate)
    params.skill_difficulty = {
        s: params.base_logit - _logit((sy + m * rate) / (n + m)) for s, (sy, n) in skills.items()
    }
    params.item_difficulty = {}
    for item, (sy, n) in items.items():
        params.item_difficulty[item] = item_difficulty(model, item, sy, n)
    return {item: (sy, n) for item, (sy, n) in items.items()}


def item_difficulty(model: MasteryModel, item: str, sum_y: float, n: float) -> float:
    """Shrunk difficulty of ``item`` from its results (sum of outcomes over n attempts)."""
    params = model.params
    prior = params.base_logit - model.prior_difficulty(model.items[item])
    m = params.item_prior_strength
    rate = (sum_y + m * (1.0 / (1.0 + math.exp(-prior)))) / (n + m)
    return params.base_logit - _logit(rate)


def replay_features(
    model: MasteryModel, sequences: dict[str, Sequence_], item_sums: dict[str, tuple[float, float]]
) -> tuple[list[Features], list[float]]:
    """Features before each attempt, replaying each learner with leave-one-out difficulties."""
    rows: list[Features] = []
    ys: list[float] = []
    for seq in sequences.values():
        state = LearnerState(overall=Track(0.0, model.params.global_prior_var))
        for t, item, y in seq:
            sy, n = item_sums[item]
            d = item_difficulty(model, item, sy - y, n - 1)
            info = model.items[item]
            rows.append(model._features(state, info, t, d))
            ys.append(y)
            model._observe(state, info, y, t, d)
    return rows, ys


def fit_logistic(
    rows: list[Features], ys: list[float], l2: float, l2_ids: float
) -> dict[str, float]:
    """Weights minimizing the sum of log losses + L2 penalties (the bias is not penalized).

    Per-item and per-skill weights (names with a ``:``) get ``l2_ids``; shared ones ``l2``.
    """
    names = sorted({name for row in rows for name in row})
    index = {name: j for j, name in enumerate(names)}
    indptr, indices, data = [0], [], []
    for row in rows:
        for name, value in row.items():
            indices.append(index[name])
            data.append(value)
        indptr.append(len(indices))
    x = sparse.csr_matrix((data, indices, indptr), shape=(len(rows), len(names)))
    y = np.asarray(ys, dtype=float)
    penalty = np.array([l2_ids if ":" in name else l2 for name in names])
    if "bias" in index:
        penalty[index["bias"]] = 0.0
    w0 = np.zeros(len(names))
    if "kz" in index:
        w0[index["kz"]] = 1.0
    result = optimize.minimize(
        _loss, w0, args=(x, y, penalty), jac=True, method="L-BFGS-B", options={"maxiter": 1000}
    )
    return {name: float(w) for name, w in zip(names, result.x, strict=True) if w != 0.0}


def _loss(
    w: npt.NDArray[np.float64],
    x: sparse.csr_matrix,
    y: npt.NDArray[np.float64],
    penalty: npt.NDArray[np.float64],
) -> tuple[float, npt.NDArray[np.float64]]:
    z = x @ w
    loss = float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * np.sum(penalty * w * w))
    p = 1.0 / (1.0 + np.exp(-z))
    grad = x.T @ (p - y) + penalty * w
    return loss, np.asarray(grad, dtype=np.float64)
