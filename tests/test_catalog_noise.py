"""The bootstrap SE of a group split resamples whole groups: a school's pupils share their
errors, so resampling pupils one by one would make the noise look smaller than it is. The
clusters only choose what is resampled; the metric never sees them."""

from __future__ import annotations

import numpy as np

from trackrecord.catalog.noise import bootstrap_se
from trackrecord.metrics import get_metric
from trackrecord.scoring.engine import Aligned
from trackrecord.scoring.solution import PRIVATE, PUBLIC


def _aligned(y_true: np.ndarray, y_pred: np.ndarray) -> Aligned:
    n = len(y_true)
    usage = np.full(n, PRIVATE, dtype=np.int8)
    usage[: n // 10] = PUBLIC
    return Aligned(get_metric("mae"), y_true, y_pred, {}, usage, None, n)


def test_group_bootstrap_sees_errors_shared_within_groups() -> None:
    rng = np.random.default_rng(3)
    n, size = 4000, 40
    school = np.repeat(np.arange(n // size), size)
    rng.shuffle(school)  # groups are spread over the key, not in blocks
    shared = rng.normal(0, 1, n // size)[school]  # one error per school
    y_true = rng.normal(0, 1, n)
    y_pred = y_true + shared + rng.normal(0, 0.1, n)
    data = _aligned(y_true, y_pred)
    rows = bootstrap_se(data)
    groups = bootstrap_se(data, clusters=school)
    assert groups > 2 * rows  # about sqrt(40) apart for errors wholly shared
    assert bootstrap_se(data, ordered=True) < 1.5 * rows  # blocks of rows miss them too


def test_independent_groups_give_the_row_se_within_noise() -> None:
    rng = np.random.default_rng(4)
    n = 4000
    school = rng.integers(0, 100, n)
    y_true = rng.normal(0, 1, n)
    y_pred = y_true + rng.normal(0, 1, n)  # errors independent of the school
    data = _aligned(y_true, y_pred)
    rows, groups = bootstrap_se(data), bootstrap_se(data, clusters=school)
    # two estimates of one SE from 400 resamples each: within ~25% of each other
    assert 0.75 < groups / rows < 1.33
