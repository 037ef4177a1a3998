"""Benchmark of the mastery engine against pyBKT on a knowledge-tracing data set.

    python bench/mastery.py --data ../shared/data/kt/assistments09

The folder holds ``preprocessed_data_train.csv`` and ``preprocessed_data_test.csv``
(tab-separated: user_id, item_id, timestamp, correct, skill_id; train and test split by
learner) and ``q_mat.npz`` (a scipy CSR item x skill matrix). Both models are fitted on the
train learners; then, for each test learner in file order, each interaction is predicted
from that learner's earlier interactions only, and the model is updated with it. One line
per model: the product's engine first, then pyBKT (run in bench/.peer-venv, made by
bench/peer_env.sh, because pyBKT does not import with scikit-learn >= 1.8).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import log_loss, roc_auc_score

from trackrecord.mastery import Attempt, ItemInfo, MasteryModel, MasteryParams

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data" / "kt" / "assistments09"
PEER_PYTHON = HERE / ".peer-venv" / "bin" / "python"


def load_items(data: Path, frames: list[pd.DataFrame]) -> dict[str, ItemInfo]:
    """Items with their skills from q_mat.npz, else from the skill_id column."""
    q_path = data / "q_mat.npz"
    skills: dict[int, tuple[str, ...]] = {}
    if q_path.exists():
        z = np.load(q_path)
        indptr, indices = z["indptr"], z["indices"]
        for i in range(len(indptr) - 1):
            skills[i] = tuple(str(s) for s in indices[indptr[i] : indptr[i + 1]])
    items: dict[str, ItemInfo] = {}
    for df in frames:
        for item, skill in df[["item_id", "skill_id"]].drop_duplicates().itertuples(index=False):
            own = skills.get(int(item)) or (f"set{skill}",)
            items[str(item)] = ItemInfo(str(item), own, None)
    return items


def attempts(df: pd.DataFrame) -> list[Attempt]:
    cols = df[["user_id", "item_id", "timestamp", "correct"]].itertuples(index=False)
    return [Attempt(str(u), str(i), float(t), float(c)) for u, i, t, c in cols]


def run_engine(train: pd.DataFrame, test: pd.DataFrame, items: dict[str, ItemInfo]) -> dict:
    """Fit on train, then the strict online protocol on test; predictions and timings."""
    model = MasteryModel(items, MasteryParams(outcome="binary"))
    start = time.perf_counter()
    model.fit(attempts(train))
    fit_s = time.perf_counter() - start
    preds = np.empty(len(test))
    update_s = np.empty(len(test))
    for k, attempt in enumerate(attempts(test)):
        preds[k] = model.p_success(attempt.learner, attempt.item, now=attempt.time)
        start = time.perf_counter()
        model.update(attempt)
        update_s[k] = time.perf_counter() - start
    return {
        "name": "trackrecord MasteryModel",
        "preds": preds,
        "fit_s": fit_s,
        "update_s": update_s,
    }


def run_peer(data: Path, python: Path) -> dict:
    """pyBKT in its own environment; returns its predictions and timings."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "preds.npy"
        cmd = [str(python), str(HERE / "mastery_peer.py"), "--data", str(data), "--out", str(out)]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            tail = "\n".join(done.stderr.strip().splitlines()[-15:])
            raise SystemExit(f"the pyBKT peer failed (exit {done.returncode}):\n{tail}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["preds"] = np.load(out)
    return result


def line(name: str, y: np.ndarray, preds: np.ndarray, fit_s: float, med: float, p99: float) -> str:
    auc = roc_auc_score(y, preds)
    ll = log_loss(y, np.clip(preds, 1e-7, 1 - 1e-7))
    return (
        f"{name:<34} AUC {auc:.4f}  log loss {ll:.4f}  fit {fit_s:7.1f} s  "
        f"update median {med:6.1f} us  p99 {p99:6.1f} us"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="data folder")
    parser.add_argument("--peer-python", type=Path, default=PEER_PYTHON, help="pyBKT's python")
    parser.add_argument("--no-peer", action="store_true", help="skip pyBKT")
    args = parser.parse_args()
    train = pd.read_csv(args.data / "preprocessed_data_train.csv", sep="\t")
    test = pd.read_csv(args.data / "preprocessed_data_test.csv", sep="\t")
    items = load_items(args.data, [train, test])
    y = test["correct"].to_numpy()
    print(
        f"data: {args.data.name}: {len(train)} train / {len(test)} test interactions, "
        f"{train.user_id.nunique()} / {test.user_id.nunique()} learners, {len(items)} items"
    )
    eng = run_engine(train, test, items)
    lat = eng["update_s"] * 1e6
    print(line(eng["name"], y, eng["preds"], eng["fit_s"], np.median(lat), np.percentile(lat, 99)))
    if args.no_peer:
        return
    if not args.peer_python.exists():
        sys.exit(f"no peer environment at {args.peer_python}: run bench/peer_env.sh (or --no-peer)")
    peer = run_peer(args.data, args.peer_python)
    print(
        line(
            peer["name"],
            y,
            peer["preds"],
            peer["fit_s"],
            peer["update_median_us"],
            peer["update_p99_us"],
        )
    )


if __name__ == "__main__":
    main()
