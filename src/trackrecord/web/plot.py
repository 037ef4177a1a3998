"""The score-history and skills plots: small SVGs rendered on the server with matplotlib
(no pyplot, so they are safe in worker threads)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.figure import Figure

from trackrecord.bundle import Thresholds
from trackrecord.mastery import SkillEstimate
from trackrecord.service import SubmissionView

LINES = (
    ("baseline", "#b08d57", "bronze: beat the baseline"),
    ("reference", "#8a9597", "silver: reach the reference"),
    ("gold", "#c9a227", "gold"),
)


def history_svg(
    subs: Sequence[SubmissionView], thresholds: Thresholds, greater_is_better: bool, metric: str
) -> str:
    """Public score per scored submission, the best so far, and the medal lines."""
    scored = [s for s in subs if s.status == "scored" and s.public_score is not None]
    fig = Figure(figsize=(6.4, 2.6), dpi=100)
    ax = fig.add_subplot()
    xs = list(range(1, len(scored) + 1))
    ys = [float(s.public_score) for s in scored if s.public_score is not None]
    best: list[float] = []
    for y in ys:
        best.append(y if not best else (max if greater_is_better else min)(best[-1], y))
    if ys:
        ax.plot(xs, ys, "o", color="#3b6ea8", label="public score", zorder=3)
        ax.step(xs, best, where="post", color="#1d3f66", lw=1.5, label="best so far")
    for attr, color, label in LINES:
        value = getattr(thresholds, attr)
        if value is not None:
            ax.axhline(value, color=color, ls="--", lw=1, label=label)
    ax.set_xlabel("submission")
    ax.set_ylabel(f"{metric} ({'higher' if greater_is_better else 'lower'} is better)")
    if xs:
        ax.set_xticks(xs if len(xs) <= 12 else xs[:: max(len(xs) // 12, 1)])
    else:
        ax.text(
            0.5,
            0.5,
            "no scored submissions yet",
            ha="center",
            va="center",
            transform=ax.transAxes,
            color="#666",
        )
        ax.set_xticks([])
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="best", fontsize=7, frameon=False)
    fig.tight_layout()
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def skills_svg(estimates: Sequence[SkillEstimate]) -> str:
    """Each practiced skill's estimate as a dot on its 90% interval, strongest first."""
    rows = sorted(estimates, key=lambda e: e.mean)
    fig = Figure(figsize=(6.4, 0.9 + 0.32 * max(len(rows), 1)), dpi=100)
    ax = fig.add_subplot()
    if rows:
        ys = list(range(len(rows)))
        ax.hlines(ys, [e.low for e in rows], [e.high for e in rows], color="#9db7d5", lw=5)
        ax.plot([e.mean for e in rows], ys, "o", color="#1d3f66", zorder=3)
        ax.set_yticks(ys, [f"{e.skill} ({e.n_attempts})" for e in rows], fontsize=8)
    else:
        ax.text(
            0.5,
            0.5,
            "no graded attempts yet",
            ha="center",
            va="center",
            transform=ax.transAxes,
            color="#666",
        )
        ax.set_yticks([])
    ax.axvline(0.5, color="#ccc", lw=1, ls=":")
    ax.set_xlim(0, 1)
    ax.set_xlabel("estimated skill (chance of success on an average project), 90% interval")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()
