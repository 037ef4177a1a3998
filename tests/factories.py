"""Small, real bundles for tests: each built with the same writer the catalog uses."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from trackrecord.bundle import Bundle, Challenge, Thresholds, write_bundle


def _split(n: int, rng: np.random.Generator) -> np.ndarray:
    usage = np.where(rng.random(n) < 0.4, "Public", "Private")
    usage[0], usage[1] = "Public", "Private"
    return usage


def binary_bundle(dest: Path, n: int = 200, seed: int = 0, metric: str = "roc_auc") -> Bundle:
    """Binary task with string labels no/yes; the submission holds P(yes)."""
    rng = np.random.default_rng(seed)
    ids = np.arange(1000, 1000 + n)
    x = rng.normal(size=n)
    y = np.where(x + rng.normal(scale=1.0, size=n) > 0, "yes", "no")
    y[:4] = ["yes", "no", "no", "yes"]  # both classes in both splits
    train = pd.DataFrame(
        {"id": np.arange(n), "x": rng.normal(size=n), "y": rng.choice(["no", "yes"], n)}
    )
    test = pd.DataFrame({"id": ids, "x": x})
    solution = pd.DataFrame({"id": ids, "y": y, "Usage": _split(n, rng)})
    sample = pd.DataFrame({"id": ids, "y": 0.5})
    ch = Challenge(
        id="binary-demo",
        title="Binary demo",
        task="binary-classification",
        metric=metric,
        id_column="id",
        target_columns=("y",),
        solution_columns=("y",),
        labels=("no", "yes"),
        thresholds=Thresholds(0.55, 0.7, 0.75),
    )
    return write_bundle(
        dest,
        ch,
        description="# Binary demo\n",
        train=train,
        test=test,
        solution=solution,
        sample_submission=sample,
    )


CLASSES = ("adelie", "chinstrap", "gentoo")


def multiclass_bundle(dest: Path, n: int = 150, seed: int = 1, metric: str = "log_loss") -> Bundle:
    rng = np.random.default_rng(seed)
    ids = [f"p{i:04d}" for i in range(n)]
    y = rng.choice(CLASSES, n)
    y[:6] = list(CLASSES) * 2
    test = pd.DataFrame({"id": ids, "bill": rng.normal(size=n)})
    solution = pd.DataFrame({"id": ids, "species": y, "Usage": _split(n, rng)})
    solution.loc[[0, 1, 2], "Usage"] = "Public"
    solution.loc[[3, 4, 5], "Usage"] = "Private"
    sample = pd.DataFrame({"id": ids, **{c: 1 / 3 for c in CLASSES}})
    ch = Challenge(
        id="multi-demo",
        title="Multiclass demo",
        task="multiclass-classification",
        metric=metric,
        id_column="id",
        target_columns=CLASSES,
        solution_columns=("species",),
        labels=CLASSES,
    )
    return write_bundle(
        dest,
        ch,
        description="# Multi\n",
        train=test.assign(species=y),
        test=test,
        solution=solution,
        sample_submission=sample,
    )


def labels_bundle(dest: Path, n: int = 120, seed: int = 2, metric: str = "accuracy") -> Bundle:
    rng = np.random.default_rng(seed)
    ids = np.arange(n)
    y = rng.choice(CLASSES, n)
    test = pd.DataFrame({"id": ids, "f": rng.normal(size=n)})
    solution = pd.DataFrame({"id": ids, "species": y, "Usage": _split(n, rng)})
    sample = pd.DataFrame({"id": ids, "species": CLASSES[0]})
    ch = Challenge(
        id="labels-demo",
        title="Labels demo",
        task="multiclass-classification",
        metric=metric,
        id_column="id",
        target_columns=("species",),
        solution_columns=("species",),
        labels=CLASSES,
    )
    return write_bundle(
        dest,
        ch,
        description="# Labels\n",
        train=test.assign(species=y),
        test=test,
        solution=solution,
        sample_submission=sample,
    )


def regression_bundle(dest: Path, n: int = 100, seed: int = 3, metric: str = "rmse") -> Bundle:
    rng = np.random.default_rng(seed)
    ids = np.arange(n)
    y = rng.gamma(2.0, 10.0, n)
    test = pd.DataFrame({"id": ids, "f": rng.normal(size=n)})
    solution = pd.DataFrame({"id": ids, "price": y, "Usage": _split(n, rng)})
    sample = pd.DataFrame({"id": ids, "price": 0.0})
    ch = Challenge(
        id="reg-demo",
        title="Regression demo",
        task="regression",
        metric=metric,
        id_column="id",
        target_columns=("price",),
        solution_columns=("price",),
        thresholds=Thresholds(20.0, 10.0, 8.0),
    )
    return write_bundle(
        dest,
        ch,
        description="# Reg\n",
        train=test.assign(price=y),
        test=test,
        solution=solution,
        sample_submission=sample,
    )
