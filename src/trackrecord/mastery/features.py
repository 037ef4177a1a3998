"""Features of one (learner, item) pair, computed from the learner's earlier attempts only.

The predictor is a logistic regression on these features ("Best-LR" of Gervet et al. 2020,
extended with recency and the Kalman ability): item and skill difficulty, per-skill and
total counts of earlier successes and failures (log 1 + n), exponentially decayed success
rates (R-PFA, Galyardt & Goldin 2015), the last outcome on the skill, earlier attempts at the
same item, time since the skill was practiced, and ``kz``: the Kalman logit of state.py.
"""

from __future__ import annotations

import math

from trackrecord.mastery.state import SECONDS_PER_DAY, LearnerState, Track

Features = dict[str, float]


def skill_features(
    state: LearnerState, skills: tuple[str, ...], now: float | None, n_decays: int
) -> Features:
    """Count, recency and skill-identity features, averaged over the item's skills."""
    out: Features = {}
    if not skills:
        return out
    a = 1.0 / len(skills)
    for skill in skills:
        out[f"s:{skill}"] = a
        track = state.skills.get(skill)
        if track is None or track.n == 0:
            _add(out, "snew", a)
            continue
        lw, lf = math.log1p(track.wins), math.log1p(track.fails)
        out[f"sw:{skill}"] = a * lw
        out[f"sf:{skill}"] = a * lf
        _add(out, "sw", a * lw)
        _add(out, "sf", a * lf)
        for k in range(n_decays):
            _add(out, f"sr{k}", a * (track.recent_rate(k) - 0.5))
        if track.last_outcome is not None:
            _add(out, "slast", a * (2.0 * track.last_outcome - 1.0))
        _add(out, f"sstreak{_clip(track.streak)}", a)
        _add(out, "sgap", a * _log_days(track, now))
    return out


def learner_features(state: LearnerState, item: str, now: float | None, n_decays: int) -> Features:
    """Features of the learner as a whole and of earlier attempts at this very item."""
    overall = state.overall
    out: Features = {"tw": math.log1p(overall.wins), "tf": math.log1p(overall.fails)}
    for k in range(n_decays):
        out[f"tr{k}"] = overall.recent_rate(k) - 0.5
    if overall.last_outcome is not None:
        out["tlast"] = 2.0 * overall.last_outcome - 1.0
    out["tgap"] = _log_days(overall, now)
    out[f"tstreak{_clip(overall.streak)}"] = 1.0
    seen = state.items.get(item)
    if seen is not None:
        out["iw"] = math.log1p(seen[0])
        out["if"] = math.log1p(seen[1])
    return out


def _log_days(track: Track, now: float | None) -> float:
    if now is None or track.last_seen is None or now <= track.last_seen:
        return 0.0
    return math.log1p((now - track.last_seen) / SECONDS_PER_DAY)


def _clip(streak: int) -> int:
    # Runs beyond 4 carry the same signal (ASSISTments skill builders stop at 3 in a row).
    return max(-4, min(4, streak))


def _add(out: Features, name: str, value: float) -> None:
    out[name] = out.get(name, 0.0) + value
