"""The mastery engine: online Kalman-style abilities plus a fitted logistic predictor."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from trackrecord.mastery.features import Features, learner_features, skill_features
from trackrecord.mastery.state import LearnerState, Track, kalman_step, sigmoid
from trackrecord.mastery.types import Attempt, ItemInfo, SkillEstimate, as_seconds

Z90 = 1.6448536269514722  # two-sided 90% interval of a normal


@dataclass
class MasteryParams:
    """Hyper-parameters and fitted parameters of a :class:`MasteryModel`.

    ``outcome`` is ``"continuous"`` for projects (normalized scores in [0, 1]) or
    ``"binary"`` (0/1 only, as in the benchmark). Without a fit the predictor is the Kalman
    logit alone (``weights = {"kz": 1}``) with difficulties seeded from catalog levels.
    """

    outcome: Literal["continuous", "binary"] = "continuous"
    global_prior_var: float = 0.5
    skill_prior_var: float = 1.0
    var_floor: float = 0.01
    forget_per_day: float = 0.01
    level_slope: float = 0.8
    item_prior_strength: float = 10.0
    decays: tuple[float, ...] = (0.5, 0.9)
    l2: float = 1.0
    l2_ids: float = 3.0
    base_logit: float = 0.0
    weights: dict[str, float] = field(default_factory=lambda: {"kz": 1.0})
    item_difficulty: dict[str, float] = field(default_factory=dict)
    skill_difficulty: dict[str, float] = field(default_factory=dict)


class MasteryModel:
    """Per-learner, per-skill mastery with uncertainty; one engine for product and benchmark.

    >>> items = {"titanic": ItemInfo("titanic", ("classification",), level=1)}
    >>> model = MasteryModel(items)
    >>> model.update(Attempt("ada", "titanic", 0.0, 1.0))
    >>> model.p_success("ada", "titanic") > 0.5
    True
    """

    def __init__(self, items: Mapping[str, ItemInfo], params: MasteryParams | None = None):
        self.items: dict[str, ItemInfo] = dict(items)
        self.params = params if params is not None else MasteryParams()
        self.learners: dict[str, LearnerState] = {}

    # -- state ---------------------------------------------------------------------------
    def learner_state(self, learner: str) -> LearnerState:
        """The learner's state, created at the prior on first use."""
        state = self.learners.get(learner)
        if state is None:
            state = LearnerState(overall=Track(0.0, self.params.global_prior_var))
            self.learners[learner] = state
        return state

    def item(self, item: str) -> ItemInfo:
        """The item's info; unknown items raise KeyError with the item's name."""
        try:
            return self.items[item]
        except KeyError:
            raise KeyError(f"unknown item {item!r}") from None

    def difficulty(self, item: str) -> float:
        """Item difficulty on the logit scale: fitted, else from its skills, else its level."""
        fitted = self.params.item_difficulty.get(item)
        if fitted is not None:
            return fitted
        return self.prior_difficulty(self.item(item))

    def prior_difficulty(self, info: ItemInfo) -> float:
        """Difficulty before the item's own results: catalog level, else its skills' mean."""
        if info.level is not None:
            return self.params.level_slope * (info.level - 3)
        known = [
            self.params.skill_difficulty[s]
            for s in info.skills
            if s in self.params.skill_difficulty
        ]
        return sum(known) / len(known) if known else 0.0

    # -- prediction ----------------------------------------------------------------------
    def _kalman_parts(
        self, state: LearnerState, info: ItemInfo, now: float | None
    ) -> tuple[list[Track], list[float], list[float]]:
        p = self.params
        tracks = [state.overall]
        variances = [state.overall.var_at(now, p.forget_per_day, p.global_prior_var)]
        coefs = [1.0]
        a = 1.0 / len(info.skills) if info.skills else 0.0
        for skill in info.skills:
            track = state.skills.get(skill) or Track(0.0, p.skill_prior_var)
            tracks.append(track)
            coefs.append(a)
            variances.append(track.var_at(now, p.forget_per_day, p.skill_prior_var))
        return tracks, coefs, variances

    def features(self, learner: str, item: str, now: float | None = None) -> Features:
        """The predictor's features for ``learner`` on ``item`` given earlier attempts."""
        info = self.item(item)
        state = self.learners.get(learner) or LearnerState(
            overall=Track(0.0, self.params.global_prior_var)
        )
        return self._features(state, info, now, self.difficulty(item))

    def _features(
        self, state: LearnerState, info: ItemInfo, now: float | None, difficulty: float
    ) -> Features:
        tracks, coefs, variances = self._kalman_parts(state, info, now)
        ability = sum(c * t.mean for c, t in zip(coefs, tracks, strict=True))
        out: Features = {
            "bias": 1.0,
            "kz": self.params.base_logit + ability - difficulty,
            "kvar": sum(c * c * v for c, v in zip(coefs, variances, strict=True)),
            "kg": state.overall.mean,
            f"i:{info.item_id}": 1.0,
        }
        if info.level is not None:
            out["level"] = float(info.level - 3)
        n_decays = len(self.params.decays)
        out.update(skill_features(state, info.skills, now, n_decays))
        out.update(learner_features(state, info.item_id, now, n_decays))
        return out

    def logit(self, features: Features) -> float:
        """The predictor's logit for a feature dict."""
        w = self.params.weights
        return sum(w.get(name, 0.0) * value for name, value in features.items())

    def p_success(self, learner: str, item: str, now: datetime | float | None = None) -> float:
        """P(reaching the reference score / answering correctly) on ``item`` now.

        With continuous outcomes this is the expected normalized outcome, read as the
        chance of silver. ``now`` (datetime or seconds) lets uncertainty grow since practice.
        """
        t = None if now is None else as_seconds(now)
        return sigmoid(self.logit(self.features(learner, item, t)))

    # -- updates -------------------------------------------------------------------------
    def check_outcome(self, outcome: float) -> float:
        """Validate an outcome for this model's outcome kind."""
        y = float(outcome)
        if not 0.0 <= y <= 1.0:
            raise ValueError(f"outcome {outcome!r} is outside [0, 1]")
        if self.params.outcome == "binary" and y not in (0.0, 1.0):
            raise ValueError(f"outcome {outcome!r} is not 0 or 1 in a binary model")
        return y

    def update(self, attempt: Attempt) -> None:
        """Take one graded attempt into account (online; constant time per skill)."""
        info = self.item(attempt.item)
        y = self.check_outcome(attempt.outcome)
        state = self.learner_state(attempt.learner)
        self._observe(state, info, y, as_seconds(attempt.time), self.difficulty(attempt.item))

    def _observe(
        self, state: LearnerState, info: ItemInfo, y: float, t: float, difficulty: float
    ) -> None:
        p = self.params
        tracks, coefs, variances = self._kalman_parts(state, info, t)
        kalman_step(tracks, coefs, variances, p.base_logit - difficulty, y)
        for track in tracks:
            track.var = max(track.var, p.var_floor)
        for skill, track in zip(info.skills, tracks[1:], strict=True):
            state.skills.setdefault(skill, track)
            track.record(y, t, p.decays)
        state.overall.record(y, t, p.decays)
        seen = state.items.setdefault(info.item_id, [0.0, 0.0])
        seen[0] += y
        seen[1] += 1.0 - y

    # -- skills --------------------------------------------------------------------------
    def skills(self, learner: str, now: datetime | float | None = None) -> list[SkillEstimate]:
        """Per-skill estimates for every skill the learner has practiced, sorted by name.

        ``mean`` is sigmoid(base + theta_g + theta_s), the chance of success on an average
        item of the skill; the 90% interval comes from var_g + var_s after forgetting.
        """
        state = self.learners.get(learner)
        if state is None:
            return []
        t = None if now is None else as_seconds(now)
        p = self.params
        g_var = state.overall.var_at(t, p.forget_per_day, p.global_prior_var)
        out = []
        for skill in sorted(state.skills):
            track = state.skills[skill]
            var = g_var + track.var_at(t, p.forget_per_day, p.skill_prior_var)
            out.append(self._estimate(skill, state.overall.mean + track.mean, var, track))
        return out

    def skill_estimate(
        self, learner: str, skill: str, now: datetime | float | None = None
    ) -> SkillEstimate:
        """The estimate of one skill (at the prior if never practiced)."""
        for est in self.skills(learner, now):
            if est.skill == skill:
                return est
        state = self.learners.get(learner)
        t = None if now is None else as_seconds(now)
        g = state.overall if state else Track(0.0, self.params.global_prior_var)
        g_var = g.var_at(t, self.params.forget_per_day, self.params.global_prior_var)
        blank = Track(0.0, self.params.skill_prior_var)
        return self._estimate(skill, g.mean, g_var + blank.var, blank)

    def _estimate(self, skill: str, ability: float, var: float, track: Track) -> SkillEstimate:
        base = self.params.base_logit - self.params.skill_difficulty.get(skill, 0.0)
        sd = math.sqrt(var)
        return SkillEstimate(
            skill=skill,
            mean=sigmoid(base + ability),
            low=sigmoid(base + ability - Z90 * sd),
            high=sigmoid(base + ability + Z90 * sd),
            n_attempts=track.n,
            last_seen=track.last_seen,
        )

    # -- batch fit and persistence -------------------------------------------------------
    def fit(self, attempts: Iterable[Attempt]) -> None:
        """Refit difficulties and predictor weights from many learners' attempts.

        Learner states are rebuilt by replaying the attempts with the new parameters.
        """
        from trackrecord.mastery.fit import fit_model

        fit_model(self, attempts)

    def to_dict(self, learners: bool = True) -> dict[str, Any]:
        """JSON-able dict of items, parameters and (optionally) learner states."""
        from trackrecord.mastery.persist import model_to_dict

        return model_to_dict(self, learners=learners)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MasteryModel:
        """Rebuild a model saved by :meth:`to_dict`; raises ValueError on a bad document."""
        from trackrecord.mastery.persist import model_from_dict

        return model_from_dict(data)
