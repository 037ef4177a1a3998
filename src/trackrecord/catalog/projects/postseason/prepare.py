"""Major League Baseball team seasons from Lahman's database (openintro's `mlb_teams`),
1969 (the first season with divisions) to 2020, without 1994 (no postseason): what each
team won in October, from its regular-season record. Whole seasons go to train or test."""

from collections.abc import Sequence

import pandas as pd

from trackrecord.catalog import multilabel, splits
from trackrecord.catalog.model import Contender, Spec, SplitInfo
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.metrics import InputKind

# the source's Y/N columns -> the four labels
HONOURS = {
    "division_winner": "won_division",
    "wild_card_winner": "won_wild_card",
    "league_winner": "won_pennant",
    "world_series_winner": "won_world_series",
}
SEASON = "year"
SEED = 69


def _seasons() -> pd.DataFrame:
    df = rdata("openintro", "mlb_teams")
    df = df[(df["year"] >= 1969) & (df["year"] != 1994)]
    # `rank` is the final place in the division: the standings themselves
    df = df.drop(columns=["rank"])
    for source, label in HONOURS.items():
        df[label] = (df.pop(source) == "Y").astype(int)
    return df.reset_index(drop=True)


def prepare() -> Prepared:
    df = splits.with_ids(_seasons())
    labels = list(HONOURS.values())
    parts = splits.group_split(df, group=SEASON, test_size=0.45, seed=SEED)
    spec = Spec(
        id_column=splits.ID,
        target=labels[0],  # the first label; a submission has one column per label
        target_columns=tuple(labels),
        kind=InputKind.MULTILABEL,
    )
    usage = splits.usage(parts.test, seed=SEED, group=SEASON)
    return Prepared(
        train=parts.train.reset_index(drop=True),
        test=parts.test.drop(columns=labels).reset_index(drop=True),
        answers=splits.answers(parts.test, labels, usage),
        spec=spec,
        solution_columns=tuple(labels),
        split=SplitInfo("group", SEASON),
    )


def field(data: Prepared) -> Sequence[Contender]:
    return multilabel.multilabel_field()
