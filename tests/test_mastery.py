"""Unit tests of the mastery engine's update rules, on cases worked by hand."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trackrecord.mastery import (
    Attempt,
    ItemInfo,
    MasteryModel,
    MasteryParams,
    normalized_outcome,
)
from trackrecord.mastery.fit import fit_logistic
from trackrecord.mastery.state import Track, kalman_step, sigmoid

DAY = 86_400.0


# -- normalized_outcome --------------------------------------------------------------------
def test_normalized_outcome_greater_is_better() -> None:
    # (0.80 - 0.60) / (0.90 - 0.60) = 0.2 / 0.3 = 2/3
    assert normalized_outcome(0.80, 0.60, 0.90, True) == pytest.approx(2 / 3)


def test_normalized_outcome_smaller_is_better() -> None:
    # RMSE: baseline 10, reference 4, score 7 -> (7 - 10) / (4 - 10) = 0.5
    assert normalized_outcome(7.0, 10.0, 4.0, False) == pytest.approx(0.5)


def test_normalized_outcome_is_capped_and_nan_is_zero() -> None:
    assert normalized_outcome(0.99, 0.6, 0.9, True) == 1.0
    assert normalized_outcome(0.10, 0.6, 0.9, True) == 0.0
    assert normalized_outcome(math.nan, 0.6, 0.9, True) == 0.0


def test_normalized_outcome_rejects_a_reference_worse_than_baseline() -> None:
    with pytest.raises(ValueError, match="does not improve"):
        normalized_outcome(0.7, 0.9, 0.6, True)


@given(st.floats(-1e6, 1e6), st.floats(-1e3, 1e3), st.floats(0.001, 1e3), st.booleans())
def test_normalized_outcome_stays_in_unit_interval(
    score: float, baseline: float, gap: float, greater: bool
) -> None:
    reference = baseline + gap if greater else baseline - gap
    value = normalized_outcome(score, baseline, reference, greater)
    assert 0.0 <= value <= 1.0


# -- the Kalman step -----------------------------------------------------------------------
def test_kalman_step_one_track_success() -> None:
    # z = 0, p = 0.5, p(1-p) = 0.25, V = 1, D = 1 + 1 * 0.25 = 1.25
    # mean = 0 + 1 * 1 * (1 - 0.5) / 1.25 = 0.4 ; var = 1 - 1 * 0.25 / 1.25 = 0.8
    track = Track(0.0, 1.0)
    p = kalman_step([track], [1.0], [1.0], 0.0, 1.0)
    assert p == pytest.approx(0.5)
    assert track.mean == pytest.approx(0.4)
    assert track.var == pytest.approx(0.8)


def test_kalman_step_global_and_skill_failure() -> None:
    # global N(0, 0.5), skill N(0, 1), both coefficient 1: V = 1.5, p = 0.5,
    # D = 1 + 1.5 * 0.25 = 1.375
    # global: mean = 0.5 * (0 - 0.5) / 1.375 = -0.181818 ; var = 0.5 - 0.25 * 0.25 / 1.375
    #   = 0.5 - 0.045455 = 0.454545
    # skill:  mean = 1 * (-0.5) / 1.375 = -0.363636 ; var = 1 - 0.25 / 1.375 = 0.818182
    g, s = Track(0.0, 0.5), Track(0.0, 1.0)
    kalman_step([g, s], [1.0, 1.0], [0.5, 1.0], 0.0, 0.0)
    assert g.mean == pytest.approx(-0.181818, abs=1e-6)
    assert g.var == pytest.approx(0.454545, abs=1e-6)
    assert s.mean == pytest.approx(-0.363636, abs=1e-6)
    assert s.var == pytest.approx(0.818182, abs=1e-6)


def test_kalman_step_splits_credit_between_two_skills() -> None:
    # Two skills with coefficient 1/2, each N(0, 1); offset ln 3 so p = 0.75.
    # V = 0.25 + 0.25 = 0.5, p(1-p) = 0.1875, D = 1 + 0.5 * 0.1875 = 1.09375
    # each mean = 1 * 0.5 * (1 - 0.75) / 1.09375 = 0.114286
    # each var = 1 - (0.5)^2 * 0.1875 / 1.09375 = 1 - 0.042857 = 0.957143
    a, b = Track(0.0, 1.0), Track(0.0, 1.0)
    p = kalman_step([a, b], [0.5, 0.5], [1.0, 1.0], math.log(3.0), 1.0)
    assert p == pytest.approx(0.75)
    for t in (a, b):
        assert t.mean == pytest.approx(0.114286, abs=1e-6)
        assert t.var == pytest.approx(0.957143, abs=1e-6)


@given(st.floats(-3, 3), st.floats(0.01, 4), st.floats(-3, 3), st.floats(0, 1))
def test_kalman_step_moves_toward_the_outcome_and_shrinks_variance(
    mean: float, var: float, offset: float, y: float
) -> None:
    track = Track(mean, var)
    p = kalman_step([track], [1.0], [var], offset, y)
    assert 0.0 < track.var <= var
    assert (track.mean - mean) * (y - p) >= 0.0


def test_forgetting_grows_variance_linearly_up_to_the_prior() -> None:
    # 0.2 + 0.01 per day * 10 days = 0.3; after 1000 days capped at the prior 1.0
    track = Track(0.0, 0.2, last_seen=0.0)
    assert track.var_at(10 * DAY, 0.01, 1.0) == pytest.approx(0.3)
    assert track.var_at(1000 * DAY, 0.01, 1.0) == pytest.approx(1.0)
    assert track.var_at(None, 0.01, 1.0) == pytest.approx(0.2)


def test_recent_rate_decays_old_outcomes() -> None:
    # decay 0.5: after 1 then 0, num = 0.5 * 1 + 0 = 0.5, den = 0.5 * 1 + 1 = 1.5;
    # with one ghost attempt at 0.5: (0.5 + 0.5) / (1.5 + 1) = 0.4
    track = Track(0.0, 1.0)
    track.record(1.0, 0.0, (0.5,))
    track.record(0.0, 1.0, (0.5,))
    assert track.recent_rate(0) == pytest.approx(0.4)
    assert (track.wins, track.fails, track.n) == (1.0, 1.0, 2)


# -- the model -----------------------------------------------------------------------------
ITEMS = {
    "titanic": ItemInfo("titanic", ("classification",), level=3),
    "credit": ItemInfo("credit", ("classification", "imbalanced-data"), level=4),
    "houses": ItemInfo("houses", ("regression",), level=1),
}


def test_update_applies_the_hand_worked_step_and_predicts() -> None:
    # Default priors global N(0, 0.5), skill N(0, 1); level 3 -> difficulty 0; base 0.
    # Success (mirror of the failure case above): theta_g = 0.181818, theta_s = 0.363636.
    # Unfitted predictor = sigmoid(kz) = sigmoid(0.545455) = 1 / (1 + 0.579582) = 0.633080.
    model = MasteryModel(ITEMS)
    model.update(Attempt("ada", "titanic", 0.0, 1.0))
    assert model.p_success("ada", "titanic") == pytest.approx(0.633080, abs=1e-6)
    # level 1 is 2 * 0.8 = 1.6 logits easier: only theta_g carries over to "regression"
    # sigmoid(0.181818 + 1.6) = 1 / (1 + 0.168306) = 0.855921
    assert model.p_success("ada", "houses") == pytest.approx(0.855921, abs=1e-6)


def test_continuous_outcome_is_a_partial_success() -> None:
    model = MasteryModel(ITEMS)
    for y in (0.0, 0.5, 1.0):
        model.update(Attempt(f"l{y}", "titanic", 0.0, y))
    ps = [model.p_success(f"l{y}", "titanic") for y in (0.0, 0.5, 1.0)]
    assert ps[0] < ps[1] < ps[2]
    assert ps[1] == pytest.approx(0.5)  # y = p = 0.5: no evidence either way


def test_binary_model_rejects_fractional_outcomes() -> None:
    model = MasteryModel(ITEMS, MasteryParams(outcome="binary"))
    with pytest.raises(ValueError, match="not 0 or 1"):
        model.update(Attempt("ada", "titanic", 0.0, 0.5))
    with pytest.raises(ValueError, match="outside"):
        MasteryModel(ITEMS).update(Attempt("ada", "titanic", 0.0, 1.5))
    with pytest.raises(KeyError, match="nope"):
        model.update(Attempt("ada", "nope", 0.0, 1.0))


def test_skill_intervals_widen_without_practice() -> None:
    model = MasteryModel(ITEMS)
    start = datetime(2025, 1, 1)
    for day in range(5):
        model.update(Attempt("ada", "credit", start + timedelta(days=day), 1.0))
    fresh = {e.skill: e for e in model.skills("ada", start + timedelta(days=4))}
    later = {e.skill: e for e in model.skills("ada", start + timedelta(days=200))}
    assert set(fresh) == {"classification", "imbalanced-data"}
    for skill, est in fresh.items():
        assert est.low < est.mean < est.high
        assert est.n_attempts == 5
        assert later[skill].half_width > est.half_width
        assert later[skill].mean == pytest.approx(est.mean)


def test_unknown_learner_has_no_skills_and_a_prior_prediction() -> None:
    model = MasteryModel(ITEMS)
    assert model.skills("nobody") == []
    assert model.p_success("nobody", "titanic") == pytest.approx(0.5)
    est = model.skill_estimate("nobody", "regression")
    assert est.n_attempts == 0 and est.mean == pytest.approx(0.5)


def test_fit_logistic_recovers_known_weights() -> None:
    # y is the exact probability sigmoid(0.5 + 2 x): fractional targets, so the optimum of
    # the (nearly unpenalized) log loss is the generating weights.
    rows = [{"bias": 1.0, "x": x / 10} for x in range(-20, 21)]
    ys = [sigmoid(0.5 + 2 * r["x"]) for r in rows]
    w = fit_logistic(rows, ys, 1e-9, 1e-9)
    assert w["bias"] == pytest.approx(0.5, abs=1e-3)
    assert w["x"] == pytest.approx(2.0, abs=1e-3)


def _history() -> list[Attempt]:
    out = []
    for n in range(30):
        strong = n % 2 == 0
        for k, item in enumerate(("houses", "titanic", "credit", "titanic")):
            y = 1.0 if strong or k == 0 else 0.0
            out.append(Attempt(f"l{n}", item, float(k * DAY), y))
    return out


def test_fit_learns_difficulties_and_predicts_strong_learners_better() -> None:
    model = MasteryModel(ITEMS, MasteryParams(outcome="binary"))
    model.fit(_history())
    assert model.difficulty("houses") < model.difficulty("titanic")
    assert model.p_success("l0", "credit") > model.p_success("l1", "credit")
    with pytest.raises(ValueError, match="no attempts"):
        model.fit([])


def test_persistence_round_trip_through_json() -> None:
    model = MasteryModel(ITEMS, MasteryParams(outcome="binary"))
    model.fit(_history())
    copy = MasteryModel.from_dict(json.loads(json.dumps(model.to_dict())))
    assert copy.params == model.params
    for learner in ("l0", "l1", "new"):
        for item in ITEMS:
            assert copy.p_success(learner, item) == model.p_success(learner, item)
    assert copy.skills("l0", 10 * DAY) == model.skills("l0", 10 * DAY)
    bare = MasteryModel.from_dict(model.to_dict(learners=False))
    assert bare.learners == {} and bare.params == model.params


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "other"}, "not a mastery model"),
        ({"version": 99}, "unsupported"),
        ({"params": {"nope": 1}}, "unknown parameters"),
        ({"items": [["a"]]}, "invalid mastery model"),
    ],
)
def test_persistence_rejects_bad_documents(change: dict[str, object], message: str) -> None:
    doc = MasteryModel(ITEMS).to_dict()
    doc.update(change)
    with pytest.raises(ValueError, match=message):
        MasteryModel.from_dict(doc)
