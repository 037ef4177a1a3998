"""Will the storm be a hurricane tomorrow? Atlantic storm tracks (dplyr's `storms`, NOAA's
HURDAT best tracks, 1975-2022) as sequences: each row is one moment of a storm that is not
a hurricane yet, with its wind, pressure and position every six hours over the last day;
the target is whether its wind reaches hurricane force (64 knots) 24 hours later. Split by
time: the storms of 2013-2022 are the test set."""

import numpy as np
import pandas as pd

from trackrecord.catalog.pitfalls import time_prepared
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

FIRST_TEST = "2013-01-01"
HURRICANE_KNOTS = 64
LAGS = (24, 18, 12, 6, 0)  # hours before the moment of the row
MEASURES = ("wind", "pressure", "lat", "long")


def _tracks() -> pd.DataFrame:
    raw = rdata("dplyr", "storms")
    raw = raw[raw["hour"].isin([0, 6, 12, 18])].copy()  # the six-hourly synoptic fixes
    raw["storm"] = raw["name"] + " " + raw["year"].astype(str)
    raw["when"] = pd.to_datetime(raw[["year", "month", "day", "hour"]])
    return raw.drop_duplicates(["storm", "when"]).set_index(["storm", "when"]).sort_index()


def _moments() -> pd.DataFrame:
    track = _tracks()
    now = track.reset_index()[["storm", "when"]]
    out = pd.DataFrame({"storm": now["storm"], "time": now["when"].dt.strftime("%Y-%m-%d %H:%M")})
    out["month"] = now["when"].dt.month.to_numpy()
    out["status"] = track["status"].to_numpy()

    def at(hours: int, column: str) -> np.ndarray:
        keys = pd.MultiIndex.from_arrays([now["storm"], now["when"] + pd.Timedelta(hours=hours)])
        return track[column].reindex(keys).to_numpy(dtype=float)

    for measure in MEASURES:
        for lag in LAGS:
            name = f"{measure}_now" if lag == 0 else f"{measure}_{lag}h_ago"
            out[name] = at(-lag, measure)
    later = at(24, "wind")
    # a moment with a whole day of history and a fix a day later, not yet a hurricane
    keep = ~np.isnan(later) & out.notna().all(axis=1).to_numpy()
    keep &= (out["status"] != "hurricane").to_numpy()
    out["hurricane_in_24h"] = np.where(later >= HURRICANE_KNOTS, "yes", "no")
    return pd.DataFrame(out[keep].reset_index(drop=True))


def prepare() -> Prepared:
    return time_prepared(
        with_ids(_moments(), seed=1975),
        time="time",
        first_test=FIRST_TEST,
        metric="roc_auc",
        target="hurricane_in_24h",
        labels=["no", "yes"],
    )
