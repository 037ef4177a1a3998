"""Per-learner state and the online update rules (Kalman-style ability, counts, recency).

A learner has a global ability and one ability per skill, each a Gaussian belief
N(mean, var) on the logit scale. An attempt at an item with skills S is predicted by

    z = base + theta_g + sum_s a_s * theta_s - d_item,   a_s = 1 / |S|

and the beliefs move by one Laplace (extended Kalman) step of the logistic likelihood:

    V  = var_g + sum_s a_s^2 var_s          (predictive variance of z)
    p  = sigmoid(z),  D = 1 + V p (1 - p)
    mean_j += var_j a_j (y - p) / D
    var_j  -= (var_j a_j)^2 p (1 - p) / D

Between attempts the variance of an unpracticed ability grows linearly with time (capped at
its prior variance): the model forgets how sure it was, not what it saw.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

SECONDS_PER_DAY = 86_400.0


def sigmoid(z: float) -> float:
    """Numerically safe logistic function."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@dataclass
class Track:
    """Evidence about one ability (global, or one skill) of one learner."""

    mean: float
    var: float
    wins: float = 0.0
    fails: float = 0.0
    n: int = 0
    last_seen: float | None = None
    last_outcome: float | None = None
    streak: int = 0  # +k after k successes in a row (outcome >= 0.5), -k after k failures
    recent_num: list[float] = field(default_factory=list)
    recent_den: list[float] = field(default_factory=list)

    def var_at(self, now: float | None, per_day: float, cap: float) -> float:
        """Variance after forgetting from ``last_seen`` until ``now``."""
        if now is None or self.last_seen is None or now <= self.last_seen:
            return self.var
        grown = self.var + per_day * (now - self.last_seen) / SECONDS_PER_DAY
        return min(cap, max(self.var, grown))

    def recent_rate(self, k: int) -> float:
        """Exponentially weighted success rate (decay ``k``), with one ghost attempt at 0.5."""
        if k >= len(self.recent_num):
            return 0.5
        return (self.recent_num[k] + 0.5) / (self.recent_den[k] + 1.0)

    def record(self, y: float, time: float, decays: tuple[float, ...]) -> None:
        """Add an outcome to the counts and the recency averages."""
        if not self.recent_num:
            self.recent_num = [0.0] * len(decays)
            self.recent_den = [0.0] * len(decays)
        for k, decay in enumerate(decays):
            self.recent_num[k] = decay * self.recent_num[k] + y
            self.recent_den[k] = decay * self.recent_den[k] + 1.0
        self.wins += y
        self.fails += 1.0 - y
        self.n += 1
        self.last_seen = time if self.last_seen is None else max(self.last_seen, time)
        self.last_outcome = y
        if y >= 0.5:
            self.streak = self.streak + 1 if self.streak > 0 else 1
        else:
            self.streak = self.streak - 1 if self.streak < 0 else -1


@dataclass
class LearnerState:
    """Everything the model remembers about one learner."""

    overall: Track
    skills: dict[str, Track] = field(default_factory=dict)
    items: dict[str, list[float]] = field(default_factory=dict)  # item -> [wins, fails]


def kalman_step(
    tracks: list[Track], coefs: list[float], variances: list[float], offset: float, y: float
) -> float:
    """Apply one Laplace/Kalman step to ``tracks`` for outcome ``y``; return the prior p.

    ``variances`` are the tracks' variances after forgetting; ``offset`` is the part of the
    logit that is not an ability (base rate minus item difficulty).
    """
    z = offset + sum(c * t.mean for c, t in zip(coefs, tracks, strict=True))
    big_v = sum(c * c * v for c, v in zip(coefs, variances, strict=True))
    p = sigmoid(z)
    info = p * (1.0 - p)
    denom = 1.0 + big_v * info
    for track, c, v in zip(tracks, coefs, variances, strict=True):
        track.mean += v * c * (y - p) / denom
        track.var = v - (v * c) ** 2 * info / denom
    return p
