"""Yearly batting records of the players with long careers (plyr's `baseball`, from the
Baseball Databank): each row is one player's season, with the season before; the labels
are milestones of the player's next season. Whole players go to train or test, and a test
player shows one season only, so no later season of his gives the answer away."""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from trackrecord.catalog import multilabel, splits
from trackrecord.catalog.model import Contender, Spec, SplitInfo
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.metrics import InputKind

COUNTS = ["g", "ab", "r", "h", "X2b", "X3b", "hr", "rbi", "sb", "cs", "bb", "so"]
COUNTS += ["ibb", "hbp", "sh", "sf", "gidp"]
LABELS = ["hr_20", "sb_20", "avg_300", "games_140", "rbi_100"]
PLAYER = "player"
SEED = 15


def _seasons() -> pd.DataFrame:
    raw = rdata("plyr", "baseball")
    # a player traded during a season has one row (stint) per team: add them up
    keys = ["id", "year"]
    seasons = raw.groupby(keys)[COUNTS].sum(min_count=1).reset_index()
    by_season = raw.sort_values([*keys, "stint"]).groupby(keys)
    seasons["teams"] = by_season.size().to_numpy()
    seasons["team"] = by_season["team"].last().to_numpy()  # where he ended the season
    seasons["lg"] = by_season["lg"].last().to_numpy()
    seasons["season_no"] = seasons.groupby("id").cumcount() + 1
    # the season before (when he played the year before)
    before = seasons[["id", "year", *COUNTS]].assign(year=lambda d: d["year"] + 1)
    seasons = seasons.merge(
        before.rename(columns={c: f"prev_{c}" for c in COUNTS}), on=keys, how="left"
    )
    # the milestones of the next season (when he played the year after)
    after = seasons[["id", "year", "g", "ab", "h", "hr", "sb", "rbi"]].assign(
        year=lambda d: d["year"] - 1
    )
    df = seasons.merge(after, on=keys, suffixes=("", "_next"))
    df["hr_20"] = df["hr_next"] >= 20
    df["sb_20"] = df["sb_next"] >= 20
    df["avg_300"] = (df["ab_next"] >= 400) & (df["h_next"] >= 0.3 * df["ab_next"])
    df["games_140"] = df["g_next"] >= 140
    df["rbi_100"] = df["rbi_next"] >= 100
    df = df.drop(columns=[c for c in df.columns if c.endswith("_next")])
    return df.astype({label: int for label in LABELS})


def prepare() -> Prepared:
    df = _seasons()
    # players get anonymous numbers: the source's ids name them
    ids = df["id"].drop_duplicates().sort_values()
    rng = np.random.default_rng(splits.seed_for(SEED))
    number = dict(zip(ids, rng.permutation(len(ids)) + 1, strict=True))
    df.insert(0, PLAYER, df.pop("id").map(number))
    df = splits.with_ids(df)
    parts = splits.group_split(df, group=PLAYER, test_size=0.6, seed=SEED)
    # one season per test player, at random: a later season of his would give away the next
    # season's numbers
    test = parts.test.groupby(PLAYER).sample(n=1, random_state=splits.seed_for(SEED))
    test = test.sort_values(splits.ID)
    spec = Spec(
        id_column=splits.ID,
        target=LABELS[0],  # the first label; a submission has one column per label
        target_columns=tuple(LABELS),
        kind=InputKind.MULTILABEL,
    )
    usage = splits.usage(test, seed=SEED)
    return Prepared(
        train=parts.train.reset_index(drop=True),
        test=test.drop(columns=LABELS).reset_index(drop=True),
        answers=splits.answers(test, LABELS, usage),
        spec=spec,
        solution_columns=tuple(LABELS),
        split=SplitInfo("group", PLAYER),
    )


def field(data: Prepared) -> Sequence[Contender]:
    return multilabel.multilabel_field()
