"""Bookings of a resort hotel in Portugal (modeldata `hotel_rates`, a fixed sample of 7000),
split in time: the arrivals from HOTEL_CUT on are the test set."""

import pandas as pd

from trackrecord.catalog import splits
from trackrecord.catalog.model import SplitInfo
from trackrecord.catalog.prepare import Prepared, assemble, rdata
from trackrecord.catalog.splits import with_ids

HOTEL_CUT = "2017-04-15"  # arrivals from this date on are the test set


def prepare() -> Prepared:
    df = rdata("modeldata", "hotel_rates").sample(n=7000, random_state=71).sort_index()
    df = df.assign(arrival_date=pd.to_datetime(df["arrival_date"]).dt.strftime("%Y-%m-%d"))
    df = with_ids(df)
    later = df["arrival_date"] >= HOTEL_CUT
    test = df[later].sort_values(["arrival_date", splits.ID])
    split = splits.Split(df[~later].sort_values(splits.ID), test)
    return assemble(
        split,
        splits.usage(test, seed=71, ordered=True),
        metric="mae",
        target="avg_price_per_room",
        split_info=SplitInfo("time", "arrival_date"),
    )
