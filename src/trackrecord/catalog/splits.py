"""Deterministic splits shared by every recipe: train/test, then test into Public/Private.

Every function takes an explicit seed; nothing depends on global random state, row order
from a hash, or the number of cores. Inside `rekeyed(key)` (a hosted copy, see rekey.py)
every seed is replaced by one derived from the key, so the same recipe draws new ids, new
test rows and a new Public/Private split that only the key's holder can reproduce.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit, train_test_split

from trackrecord.bundle import USAGE
from trackrecord.catalog.model import DEFAULT_PUBLIC_FRACTION

ID = "id"


@dataclass(frozen=True)
class Split:
    train: pd.DataFrame
    test: pd.DataFrame


ID_SEED = 2718
_KEY: ContextVar[bytes | None] = ContextVar("trackrecord_split_key", default=None)


@contextmanager
def rekeyed(key: bytes) -> Iterator[None]:
    """Within the block, every seed the split helpers use is derived from `key`."""
    token = _KEY.set(key)
    try:
        yield
    finally:
        _KEY.reset(token)


def seed_for(seed: int) -> int:
    """The seed to draw with: `seed` itself, or inside `rekeyed` an HMAC of it under the key
    (recipes that sample test groups themselves call this too)."""
    key = _KEY.get()
    if key is None:
        return seed
    digest = hmac.new(key, f"seed:{seed}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big")


def with_ids(
    df: pd.DataFrame, *, seed: int = ID_SEED, prefix: str = "", start: int = 1
) -> pd.DataFrame:
    """Put an `id` column first: a seeded permutation of start..start+n-1.

    Never the row's position in the source: with the source package installed, `iloc[id-1]`
    would look every answer up (DESIGN.md, rule 5). The rows keep their cleaned source order;
    splits sort each part by id, so the public files reveal no source order either.
    """
    out = df.reset_index(drop=True)
    rng = np.random.default_rng(seed_for(seed))
    ids = start + rng.permutation(len(out))
    values: Any = [f"{prefix}{i}" for i in ids] if prefix else ids
    out.insert(0, ID, values)
    return out


def random_split(
    df: pd.DataFrame, *, test_size: float | int, seed: int, stratify: str | None = None
) -> Split:
    """A shuffled split, stratified on a column when given; each part sorted by id."""
    strata = df[stratify] if stratify else None
    train, test = train_test_split(
        df, test_size=test_size, random_state=seed_for(seed), stratify=strata
    )
    return Split(train.sort_values(ID), test.sort_values(ID))


def time_split(df: pd.DataFrame, *, order: str, test_rows: int) -> Split:
    """The last `test_rows` rows in time order are the test set (the future)."""
    ordered = df.sort_values([order, ID], kind="stable")
    return Split(ordered.iloc[:-test_rows], ordered.iloc[-test_rows:])


def group_split(df: pd.DataFrame, *, group: str, test_size: float, seed: int) -> Split:
    """Whole groups (queries, users) go to one side."""
    splitter = GroupShuffleSplit(n_splits=1, test_size=test_size, random_state=seed_for(seed))
    train_idx, test_idx = next(splitter.split(df, groups=df[group]))
    return Split(df.iloc[train_idx].sort_values(ID), df.iloc[test_idx].sort_values(ID))


def usage(
    test: pd.DataFrame,
    *,
    seed: int,
    public: float = DEFAULT_PUBLIC_FRACTION,
    stratify: str | None = None,
    group: str | None = None,
    ordered: bool = False,
) -> pd.Series:
    """Public/Private per test row: stratified, by whole group, or the earlier rows (time)."""
    n = len(test)
    labels = pd.Series("Private", index=test.index, name=USAGE)
    if ordered:
        labels.iloc[: round(n * public)] = "Public"
        return labels
    if group is not None:
        groups = test[group].drop_duplicates().sort_values()
        chosen = groups.sample(frac=public, random_state=seed_for(seed))
        labels[test[group].isin(set(chosen))] = "Public"
        return labels
    strata = test[stratify] if stratify else None
    pub, _ = train_test_split(
        test.index, train_size=public, random_state=seed_for(seed), stratify=strata
    )
    labels[pub] = "Public"
    return labels


def answers(test: pd.DataFrame, columns: Sequence[str], usage_labels: pd.Series) -> pd.DataFrame:
    """The answer key: id, solution columns and Usage, in test order."""
    out = test[[ID, *columns]].copy()
    out[USAGE] = usage_labels.loc[test.index].to_numpy()
    return out.reset_index(drop=True)
