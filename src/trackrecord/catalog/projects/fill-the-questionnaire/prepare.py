"""A personality questionnaire as a matrix to complete (psych `bfi`, 2,800 people x 25
items of the International Personality Item Pool): for 40% of the people, a random half of
their answers is hidden; predict them from their other answers and everyone else's."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.experimental import enable_iterative_imputer  # noqa: F401
from sklearn.impute import IterativeImputer, KNNImputer

from trackrecord.catalog import splits
from trackrecord.catalog.contenders import FunctionContender
from trackrecord.catalog.model import Contender, Spec, SplitInfo
from trackrecord.catalog.prepare import Prepared, assemble, rdata
from trackrecord.catalog.recsys import Factorized, recsys_field
from trackrecord.catalog.splits import Split

PERSON, ITEM = "person", "item"
SEED = 163
# The statements, as psych's bfi.dictionary gives them (IPIP); (R) marks reverse-keyed ones.
STATEMENTS = {
    "A1": "Am indifferent to the feelings of others. (R)",
    "A2": "Inquire about others' well-being.",
    "A3": "Know how to comfort others.",
    "A4": "Love children.",
    "A5": "Make people feel at ease.",
    "C1": "Am exacting in my work.",
    "C2": "Continue until everything is perfect.",
    "C3": "Do things according to a plan.",
    "C4": "Do things in a half-way manner. (R)",
    "C5": "Waste my time. (R)",
    "E1": "Don't talk a lot. (R)",
    "E2": "Find it difficult to approach others. (R)",
    "E3": "Know how to captivate people.",
    "E4": "Make friends easily.",
    "E5": "Take charge.",
    "N1": "Get angry easily.",
    "N2": "Get irritated easily.",
    "N3": "Have frequent mood swings.",
    "N4": "Often feel blue.",
    "N5": "Panic easily.",
    "O1": "Am full of ideas.",
    "O2": "Avoid reading difficult material. (R)",
    "O3": "Carry the conversation to a higher level.",
    "O4": "Spend time reflecting on things.",
    "O5": "Will not probe deeply into a subject. (R)",
}


def answers() -> pd.DataFrame:
    """One row per (person, item) answered: the person's gender, education and age, the
    item, its trait and statement, and the answer (1 very inaccurate to 6 very accurate)."""
    wide = rdata("psych", "bfi")
    rng = np.random.default_rng(splits.seed_for(SEED))
    wide[PERSON] = 1 + rng.permutation(len(wide))  # never the row's position in the source
    long = wide.melt(
        id_vars=[PERSON, "gender", "education", "age"],
        value_vars=list(STATEMENTS),
        var_name=ITEM,
        value_name="answer",
    ).dropna(subset=["answer"])
    long["trait"] = (
        long[ITEM]
        .str[0]
        .map(
            {
                "A": "agreeableness",
                "C": "conscientiousness",
                "E": "extraversion",
                "N": "neuroticism",
                "O": "openness",
            }
        )
    )
    long["statement"] = long[ITEM].map(STATEMENTS)
    long["answer"] = long["answer"].astype(int)
    cols = [PERSON, "gender", "education", "age", ITEM, "trait", "statement", "answer"]
    return long[cols].sort_values([PERSON, ITEM]).reset_index(drop=True)


def prepare() -> Prepared:
    df = splits.with_ids(answers())
    rng = np.random.default_rng(splits.seed_for(SEED))
    people = np.sort(df[PERSON].unique())
    chosen = rng.choice(people, size=round(0.4 * len(people)), replace=False)
    # A random half (rounded down) of each chosen person's answers is hidden.
    draw = pd.Series(rng.random(len(df)), index=df.index)
    rank = draw.groupby(df[PERSON]).rank(method="first")
    size = df.groupby(PERSON)[ITEM].transform("size")
    hidden = df[PERSON].isin(set(chosen)) & (rank <= size // 2)
    split = Split(df[~hidden].sort_values(splits.ID), df[hidden].sort_values(splits.ID))
    usage = splits.usage(split.test, seed=SEED, group=PERSON)  # whole people Public/Private
    return assemble(split, usage, metric="rmse", target="answer", split_info=SplitInfo("random"))


# The field ---------------------------------------------------------------------------------

Fill = Callable[[np.ndarray], np.ndarray]


def _matrix(train: pd.DataFrame, test: pd.DataFrame) -> tuple[np.ndarray, Any, Any]:
    people = pd.Index(sorted(set(train[PERSON]) | set(test[PERSON])))
    items = pd.Index(sorted(set(train[ITEM]) | set(test[ITEM])))
    M = np.full((len(people), len(items)), np.nan)
    M[people.get_indexer(train[PERSON]), items.get_indexer(train[ITEM])] = train["answer"]
    return M, people, items


def _completed(fill: Fill) -> Callable[[pd.DataFrame, pd.DataFrame, Spec], Any]:
    """Fill the people x items matrix, read the test cells, keep them within 1 to 6."""

    def predict(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
        M, people, items = _matrix(train, test)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            full = fill(M)
        cells = full[people.get_indexer(test[PERSON]), items.get_indexer(test[ITEM])]
        return np.clip(cells, 1, 6)

    return predict


def soft_impute(rank: int, shrink: float, iterations: int = 100) -> Fill:
    """Low-rank completion: fill the gaps with a rank-`rank` SVD whose singular values are
    shrunk by `shrink`, and repeat (Mazumder, Hastie and Tibshirani 2010)."""

    def fill(M: np.ndarray) -> np.ndarray:
        mean = np.nanmean(M, axis=0)
        X = M - mean
        seen = ~np.isnan(X)
        Z = np.where(seen, X, 0.0)
        low = Z
        for _ in range(iterations):
            U, s, Vt = np.linalg.svd(Z, full_matrices=False)
            low = (U[:, :rank] * np.maximum(s[:rank] - shrink, 0.0)) @ Vt[:rank]
            Z = np.where(seen, X, low)
        return np.asarray(low + mean)

    return fill


def _imputer(make: Callable[[], Any]) -> Fill:
    return lambda M: np.asarray(make().fit_transform(M))


def field(data: Prepared) -> Sequence[Contender]:
    return (
        # the standard recommenders, but factors of rank 5 (the traits), not 40: there are
        # only 25 statements
        *(c for c in recsys_field(PERSON, ITEM, ["age"]) if "k=40" not in c.name),
        FunctionContender("biases + SVD of residuals (k=5)", Factorized(PERSON, ITEM, 5)),
        FunctionContender("soft-impute (rank 5, shrink 20)", _completed(soft_impute(5, 20.0))),
        FunctionContender("soft-impute (rank 10, shrink 30)", _completed(soft_impute(10, 30.0))),
        FunctionContender(
            "k nearest people (k=30) on the answers",
            _completed(_imputer(lambda: KNNImputer(n_neighbors=30))),
        ),
        FunctionContender(
            "chained regressions of each item on the others",
            _completed(_imputer(lambda: IterativeImputer(max_iter=10, random_state=0))),
        ),
    )
