"""The pyBKT peer of bench/mastery.py; runs inside bench/.peer-venv (see peer_env.sh).

Fits pyBKT (one BKT per skill_id, the data set's skill or skill-set column) on the train
learners, then runs the same strict online protocol as the engine: for each test learner, in
order, predict each interaction from the BKT state left by that learner's earlier
interactions, then update the state. The forward filter uses pyBKT's fitted parameters and
is cross-checked against pyBKT's own ``predict``. Writes the predictions as .npy and prints
one JSON line with timings.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from pyBKT.models import Model

COLUMNS = {
    "order_id": "order_id",
    "user_id": "user_id",
    "skill_name": "skill_name",
    "correct": "correct",
}


def load(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, sep="\t")
    df["order_id"] = np.arange(len(df))
    df["skill_name"] = df["skill_id"].astype(str)
    return df


def bkt_params(model: Model) -> dict[str, tuple[float, float, float, float, float]]:
    table = model.params().reset_index()
    out = {}
    for skill, rows in table.groupby("skill"):
        p = {
            r["param"]: float(r["value"])
            for _, r in rows.iterrows()
            if r["class"] in ("default", "")
        }
        values = (p["prior"], p["learns"], p["guesses"], p["slips"], p.get("forgets", 0.0))
        out[str(skill)] = sanitized(values)
    return out


# pyBKT's fitted values before any data: used where a fit came out NaN.
PRIORS = (0.5, 0.1, 0.2, 0.1, 0.0)
EPS = 1e-6


def sanitized(values: tuple[float, ...]) -> tuple[float, ...]:
    """Fitted BKT parameters made usable by the filter: the pure-Python pyBKT build can fit
    NaN, or a guess or slip of exactly 0 with a prior of 0 (the filter would then divide
    0 by 0). NaN takes the prior value; probabilities are kept in [EPS, 1 - EPS]."""
    clean = [d if np.isnan(v) else v for v, d in zip(values, PRIORS, strict=True)]
    return tuple(float(np.clip(v, EPS, 1 - EPS)) for v in clean)


def online(test: pd.DataFrame, params: dict, fallback: float) -> tuple[np.ndarray, list[float]]:
    preds = np.empty(len(test))
    latencies: list[float] = []
    state: dict[tuple[int, str], float] = {}
    for k, (user, skill, y) in enumerate(
        test[["user_id", "skill_name", "correct"]].itertuples(index=False)
    ):
        par = params.get(skill)
        if par is None:
            preds[k] = fallback
            continue
        prior, learn, guess, slip, forget = par
        p_l = state.get((user, skill), prior)
        preds[k] = p_l * (1 - slip) + (1 - p_l) * guess
        start = time.perf_counter()
        if y:
            post = p_l * (1 - slip) / (p_l * (1 - slip) + (1 - p_l) * guess)
        else:
            post = p_l * slip / (p_l * slip + (1 - p_l) * (1 - guess))
        state[(user, skill)] = post * (1 - forget) + (1 - post) * learn
        latencies.append(time.perf_counter() - start)
    return preds, latencies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    train = load(args.data / "preprocessed_data_train.csv")
    test = load(args.data / "preprocessed_data_test.csv")
    start = time.perf_counter()
    model = Model(seed=0)  # pyBKT defaults: 5 EM restarts
    model.fit(data=train, defaults=COLUMNS)
    fit_s = time.perf_counter() - start
    params = bkt_params(model)
    preds, latencies = online(test, params, float(train["correct"].mean()))
    known = test[test["skill_name"].isin(params)]
    own = model.predict(data=known.copy()) if len(known) else known
    gap = (
        float(
            np.max(
                np.abs(
                    own["correct_predictions"].to_numpy()
                    - preds[test["skill_name"].isin(params).to_numpy()]
                )
            )
        )
        if len(known)
        else 0.0
    )
    np.save(args.out, preds)
    spec = importlib.util.find_spec("pyBKT.fit.E_step")
    build = "C++" if spec and spec.origin and spec.origin.endswith(".so") else "pure Python"
    lat = np.asarray(latencies) * 1e6
    print(
        json.dumps(
            {
                "name": f"pyBKT ({build} build)",
                "fit_s": fit_s,
                "update_median_us": float(np.median(lat)),
                "update_p99_us": float(np.percentile(lat, 99)),
                "max_gap_vs_pybkt_predict": gap,
                "unknown_skill_rows": int(len(test) - len(known)),
            }
        )
    )


if __name__ == "__main__":
    sys.exit(main())
