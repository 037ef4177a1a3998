"""Shared pieces of the implicit-feedback projects: the candidate split and the field.

Implicit feedback is a log of what users did (watched, rated, attended), with no "disliked"
rows: an item a user never touched may be unknown to them, not unwanted. `train.csv` is that
log. For some users, the later half of their log (in time) is held out; each of them gets
one test row per candidate item (the most popular items of train they have not touched
yet), and an item is relevant when it is in their held-out half. Rankings are scored with
MAP@k within each user.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize

from trackrecord.catalog import splits
from trackrecord.catalog.contenders import FunctionContender
from trackrecord.catalog.fields import SEED
from trackrecord.catalog.model import Contender, Spec, SplitInfo
from trackrecord.catalog.prepare import Prepared, assemble
from trackrecord.catalog.splits import ID, Split

RELEVANT = "relevant"
SCORE = "score"


@dataclass(frozen=True)
class Log:
    """Which columns of an interaction log name the user, the item and the time."""

    user: str
    item: str
    time: str
    item_columns: tuple[str, ...] = ()  # item attributes copied onto candidate rows
    user_columns: tuple[str, ...] = ()  # user attributes (their latest train row's) copied too


def later_candidates(
    log: pd.DataFrame,
    cols: Log,
    *,
    share: float,
    pool: int,
    seed: int,
    k: int = 10,
    min_events: int = 20,
) -> Prepared:
    """Hold out the later half of `share` of the users with `min_events` or more rows; their
    candidates are the `pool` most frequent items of train they have not touched; Public and
    Private are whole users. `log` must already carry ids (`splits.with_ids`)."""
    log = log.sort_values([cols.time, ID], kind="stable")
    counts = log[cols.user].value_counts()
    eligible = pd.Series(sorted(counts[counts >= min_events].index))
    chosen = set(eligible.sample(frac=share, random_state=splits.seed_for(seed)))
    mine = log[log[cols.user].isin(chosen)]
    rank = mine.groupby(cols.user).cumcount()
    size = mine.groupby(cols.user)[cols.item].transform("size")
    later = mine[rank >= size // 2]
    train = log.drop(index=later.index).sort_values(ID)
    info = SplitInfo("group-later", cols.user, order=cols.time)
    return _assemble(log, train, later, cols, pool=pool, seed=seed, k=k, info=info)


def time_cut_candidates(
    log: pd.DataFrame,
    cols: Log,
    *,
    cut: Any,
    share: float,
    pool: int,
    seed: int,
    k: int = 10,
    min_history: int = 3,
) -> Prepared:
    """Everything from `cut` on (in `cols.time`) is the future, for every user: train is
    the log before it. `share` of the users with `min_history` rows before the cut and some
    after it are the test users; their candidates are the `pool` most frequent items of
    train they have not touched, relevant = touched from the cut on. The other users' later
    rows are dropped (no one may see the test period). `log` must already carry ids."""
    before, after = log[log[cols.time] < cut], log[log[cols.time] >= cut]
    history = before[cols.user].value_counts()
    eligible = pd.Series(sorted(set(history[history >= min_history].index) & set(after[cols.user])))
    chosen = set(eligible.sample(frac=share, random_state=splits.seed_for(seed)))
    later = after[after[cols.user].isin(chosen)]
    info = SplitInfo("time", cols.time)
    return _assemble(log, before.sort_values(ID), later, cols, pool=pool, seed=seed, k=k, info=info)


def _assemble(
    log: pd.DataFrame,
    train: pd.DataFrame,
    later: pd.DataFrame,
    cols: Log,
    *,
    pool: int,
    seed: int,
    k: int,
    info: SplitInfo,
) -> Prepared:
    """The candidate test rows of the held-out users, with fresh ids, split into Public and
    Private by whole users."""
    test = _candidates(train, later, cols, pool)
    test = splits.with_ids(test, seed=seed, start=int(log[ID].max()) + 1)
    test = test.sort_values(ID)
    usage = splits.usage(test, seed=seed, group=cols.user)
    return assemble(
        Split(train, test),
        usage,
        metric="map_at_k",
        target=RELEVANT,
        group=cols.user,
        metric_params={"k": k},
        prediction=SCORE,
        split_info=info,
    )


def _candidates(train: pd.DataFrame, later: pd.DataFrame, cols: Log, pool: int) -> pd.DataFrame:
    """One row per (held-out user, popular item they have not touched in train): users in
    order, each one's items from the most popular down."""
    popular = train[cols.item].value_counts(sort=True).index[:pool]
    items = train.drop_duplicates(cols.item).set_index(cols.item)
    attrs = items.loc[popular, list(cols.item_columns)].reset_index()
    people = train.sort_values(cols.time, kind="stable").drop_duplicates(cols.user, keep="last")
    people = people.set_index(cols.user)[list(cols.user_columns)]
    asked = later.groupby(cols.user)[cols.time].min()
    users = np.repeat(asked.index.to_numpy(), len(attrs))
    out = attrs.iloc[np.tile(np.arange(len(attrs)), len(asked))].reset_index(drop=True)
    out.insert(0, cols.user, users)
    pair = pd.MultiIndex.from_arrays([out[cols.user], out[cols.item]])
    seen = pd.MultiIndex.from_frame(train[[cols.user, cols.item]])
    out = out[~pair.isin(seen)].reset_index(drop=True)
    for column in cols.user_columns:
        out[column] = out[cols.user].map(people[column]).to_numpy()
    out[cols.time] = out[cols.user].map(asked).to_numpy()
    wanted = pd.MultiIndex.from_frame(later[[cols.user, cols.item]])
    pair = pd.MultiIndex.from_arrays([out[cols.user], out[cols.item]])
    out[RELEVANT] = pair.isin(wanted).astype(int)
    return out[[cols.user, *cols.user_columns, cols.item, cols.time, *cols.item_columns, RELEVANT]]


# --- the field ------------------------------------------------------------------------------


def _matrix(
    train: pd.DataFrame, user: str, item: str
) -> tuple[sparse.csr_matrix, dict[Any, int], dict[Any, int]]:
    """The binary user x item matrix of train (1 = interacted)."""
    users = {u: i for i, u in enumerate(sorted(train[user].unique()))}
    items = {m: i for i, m in enumerate(sorted(train[item].unique()))}
    pairs = train[[user, item]].drop_duplicates()
    rows, cols = pairs[user].map(users).to_numpy(), pairs[item].map(items).to_numpy()
    data = np.ones(len(pairs))
    shape = (len(users), len(items))
    return sparse.csr_matrix((data, (rows, cols)), shape=shape), users, items


def _lookup(
    scores: Any,
    test: pd.DataFrame,
    user: str,
    item: str,
    users: dict[Any, int],
    items: dict[Any, int],
) -> np.ndarray:
    """scores[user, item] for each test row; 0 where the user or item is unknown."""
    u = test[user].map(users)
    i = test[item].map(items)
    known = (u.notna() & i.notna()).to_numpy()
    out = np.zeros(len(test))
    ui, ii = u[known].astype(int).to_numpy(), i[known].astype(int).to_numpy()
    if sparse.issparse(scores):
        out[known] = np.asarray(scores[ui, ii]).ravel()
    else:
        out[known] = scores[ui, ii]
    return out


def popularity(user: str, item: str) -> Any:
    def fn(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
        return test[item].map(train[item].value_counts()).fillna(0).to_numpy(dtype=float)

    return fn


def recent_popularity(item: str, time: str, share: float = 0.2) -> Any:
    """How often each item was touched in the latest `share` of train's time span."""

    def fn(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
        when = train[time]
        if pd.api.types.is_numeric_dtype(when):
            cut = when.quantile(1 - share)
        else:  # e.g. ISO date strings, which sort in time order
            cut = when.sort_values().iloc[int((len(when) - 1) * (1 - share))]
        counts = train.loc[train[time] >= cut, item].value_counts()
        return test[item].map(counts).fillna(0).to_numpy(dtype=float)

    return fn


def item_knn(user: str, item: str, *, neighbours: int | None = None) -> Any:
    """Sum of cosine similarities between a candidate and the items the user touched."""

    def fn(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
        R, users, items = _matrix(train, user, item)
        cols = normalize(R.T.tocsr(), axis=1)
        wanted = sorted({items[m] for m in test[item].unique() if m in items})
        sim = (cols[wanted] @ cols.T).toarray()  # candidates x all items
        sim[np.arange(len(wanted)), wanted] = 0.0
        if neighbours is not None:
            n = min(neighbours, sim.shape[1])
            cut = -np.sort(-sim, axis=1)[:, n - 1 : n]
            sim[sim < cut] = 0.0
        scores = np.asarray(R @ sim.T)  # users x candidates
        local = {m: j for j, m in enumerate(wanted)}
        position = {key: local[i] for key, i in items.items() if i in local}
        return _lookup(scores, test, user, item, users, position)

    return fn


def user_knn(user: str, item: str, neighbours: int = 50) -> Any:
    """Votes of the `neighbours` most similar users (cosine on their item sets)."""

    def fn(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
        R, users, items = _matrix(train, user, item)
        rows = normalize(R, axis=1)
        sim = (rows @ rows.T).toarray()
        np.fill_diagonal(sim, 0.0)
        n = min(neighbours, sim.shape[1])
        cut = -np.sort(-sim, axis=1)[:, n - 1 : n]
        sim[sim < cut] = 0.0
        return _lookup(sim @ R, test, user, item, users, items)

    return fn


def svd(user: str, item: str, rank: int) -> Any:
    """A rank-`rank` truncated SVD of the binary matrix: its reconstruction."""

    def fn(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
        R, users, items = _matrix(train, user, item)
        model = TruncatedSVD(min(rank, min(R.shape) - 1), random_state=SEED)
        U = model.fit_transform(R)
        return _lookup(U @ model.components_, test, user, item, users, items)

    return fn


def transitions(user: str, item: str, time: str, gaps: tuple[int, ...] = (1,)) -> Any:
    """What comes next, for logs in whole periods (terms, seasons): the share of the users
    with item X in period t who had item Y in period t + gap, summed over the items the user
    had `gap` periods before the recommendation."""

    def fn(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
        users = {u: i for i, u in enumerate(sorted(train[user].unique()))}
        items = {m: i for i, m in enumerate(sorted(train[item].unique()))}
        shape = (len(users), len(items))

        def at(period: Any) -> sparse.csr_matrix:
            rows = train.loc[train[time] == period, [user, item]].drop_duplicates()
            data = np.ones(len(rows))
            where = (rows[user].map(users).to_numpy(), rows[item].map(items).to_numpy())
            return sparse.csr_matrix((data, where), shape=shape)

        periods = sorted(train[time].unique())
        out = np.zeros(len(test))
        for gap in gaps:
            counts = sparse.csr_matrix((len(items), len(items)))
            for t in periods:
                if t + gap in periods:
                    counts = counts + at(t).T @ at(t + gap)
            follows = normalize(counts.tocsr(), norm="l1", axis=1)
            for when in test[time].unique():
                scores = (at(when - gap) @ follows).toarray()
                mine = (test[time] == when).to_numpy()
                out[mine] += _lookup(scores, test[mine], user, item, users, items)
        return out

    return fn


def implicit_field(cols: Log) -> tuple[Contender, ...]:
    """Standard recommenders for implicit feedback, on the user and item columns."""
    user, item = cols.user, cols.item
    return (
        FunctionContender(f"popularity (interactions per {item})", popularity(user, item)),
        FunctionContender(
            "recent popularity (last 20% of train's time)", recent_popularity(item, cols.time)
        ),
        FunctionContender("item-item cosine k-NN (all neighbours)", item_knn(user, item)),
        FunctionContender(
            "item-item cosine k-NN (50 neighbours)", item_knn(user, item, neighbours=50)
        ),
        FunctionContender("user-user cosine k-NN (50 neighbours)", user_knn(user, item, 50)),
        FunctionContender("user-user cosine k-NN (200 neighbours)", user_knn(user, item, 200)),
        FunctionContender("truncated SVD of the binary matrix (rank 10)", svd(user, item, 10)),
        FunctionContender("truncated SVD of the binary matrix (rank 50)", svd(user, item, 50)),
    )
