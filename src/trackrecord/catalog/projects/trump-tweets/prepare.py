"""Donald Trump's 2016 tweets from an Android phone or an iPhone (dslabs `trump_tweets`),
split in time: the general-election campaign is the test set."""

import pandas as pd

from trackrecord.catalog import splits
from trackrecord.catalog.model import SplitInfo
from trackrecord.catalog.prepare import Prepared, assemble, rdata
from trackrecord.catalog.splits import with_ids

TWEET_TEST_ROWS = 1300  # the general-election campaign: 2016 from mid-July on


def tweets() -> pd.DataFrame:
    df = rdata("dslabs", "trump_tweets")
    phones = {"Twitter for Android": "android", "Twitter for iPhone": "iphone"}
    df = df[df["source"].isin(list(phones)) & df["created_at"].str.startswith("2016")]
    stamps = pd.to_datetime(df["created_at"])
    return pd.DataFrame(
        {
            "created_at": df["created_at"].to_numpy(),
            "text": df["text"].to_numpy(),
            "hour": stamps.dt.hour.to_numpy(),
            "retweet_count": df["retweet_count"].to_numpy(),
            "favorite_count": df["favorite_count"].to_numpy(),
            "device": df["source"].map(phones).to_numpy(),
        }
    )


def prepare() -> Prepared:
    df = with_ids(tweets().sort_values("created_at", kind="stable"))
    split = splits.time_split(df, order="created_at", test_rows=TWEET_TEST_ROWS)
    usage = splits.usage(split.test, seed=79, stratify="device")
    return assemble(
        split,
        usage,
        metric="roc_auc",
        target="device",
        labels=("iphone", "android"),
        split_info=SplitInfo("time", "created_at"),
    )
