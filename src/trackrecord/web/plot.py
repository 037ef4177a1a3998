"""The score-history and skills plots: small SVGs rendered on the server with matplotlib
(no pyplot, so they are safe in worker threads).

Both figures use constrained layout, and the history legend sits below the plot area, so
no label is clipped and no legend covers a medal line.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.figure import Figure

from trackrecord.bundle import Thresholds
from trackrecord.mastery import SkillEstimate
from trackrecord.service import SubmissionView

# Three hues far apart, and three dash patterns, so the lines stay apart in greyscale too.
LINES = (
    ("baseline", "#a0522d", (0, (1, 2)), "bronze: beat the baseline"),
    ("reference", "#5f7d95", (0, (5, 3)), "silver: reach the reference"),
    ("gold", "#d4a017", (0, (6, 2, 1, 2)), "gold: beat it by the margin"),
)
SCORE = "#3b6ea8"
BEST = "#1d3f66"
PRACTICE = "#8e44ad"
MAX_TICKS = 12
SKILL_AXIS = "estimated skill: chance of success on an average project\n(dot; bar: 90% interval)"


def to_svg(fig: Figure) -> str:
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def _best_so_far(ys: Sequence[float], greater_is_better: bool) -> list[float]:
    best: list[float] = []
    for y in ys:
        best.append(y if not best else (max if greater_is_better else min)(best[-1], y))
    return best


def _ticks(numbers: Sequence[int]) -> list[int]:
    step = max(-(-len(numbers) // MAX_TICKS), 1)
    return list(numbers[::step])


def history_figure(
    subs: Sequence[SubmissionView],
    thresholds: Thresholds,
    greater_is_better: bool,
    metric: str,
    split: str = "public",
) -> Figure:
    """Public score of each scored submission against its number in the project (#1, #2,
    ...), the best so far over the judged ones, practice submissions (after finalizing)
    marked apart, and the medal lines of `split` (the split the scores are on)."""
    scored = [s for s in subs if s.status == "scored" and s.public_score is not None]
    judged = [s for s in scored if not s.practice]
    practice = [s for s in scored if s.practice]
    fig = Figure(figsize=(6.4, 3.0), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    if judged:
        xs = [s.number for s in judged]
        ys = [float(s.public_score or 0.0) for s in judged]
        ax.plot(xs, ys, "o", color=SCORE, label=f"{split} score", zorder=3)
        best = _best_so_far(ys, greater_is_better)
        ax.step(xs, best, where="post", color=BEST, lw=1.5, label="best so far")
    if practice:
        xs = [s.number for s in practice]
        ys = [float(s.public_score or 0.0) for s in practice]
        ax.plot(xs, ys, "D", mfc="white", mec=PRACTICE, mew=1.5, ls="none", zorder=3,
                label="practice (after finalizing; never counts)")  # fmt: skip
    for attr, color, dashes, label in LINES:
        value = getattr(thresholds, attr)
        if value is not None:
            ax.axhline(value, color=color, ls=dashes, lw=1.4, label=f"{label} ({split})")
    ax.set_xlabel("submission # in this project")
    ax.set_ylabel(
        f"{metric}, {split} split\n({'higher' if greater_is_better else 'lower'} is better)"
    )
    numbers = [s.number for s in scored]
    if numbers:
        shown = _ticks(numbers)
        ax.set_xticks(shown, [f"#{n}" for n in shown])
        ax.set_xlim(min(numbers) - 0.5, max(numbers) + 0.5)
    else:
        ax.text(0.5, 0.5, "no scored submissions yet", ha="center", va="center",
                transform=ax.transAxes, color="#666")  # fmt: skip
        ax.set_xticks([])
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if ax.get_legend_handles_labels()[0]:
        fig.legend(loc="outside lower center", ncols=3, fontsize=7, frameon=False)
    return fig


def history_svg(
    subs: Sequence[SubmissionView],
    thresholds: Thresholds,
    greater_is_better: bool,
    metric: str,
    split: str = "public",
) -> str:
    """The score history (see history_figure) as SVG."""
    return to_svg(history_figure(subs, thresholds, greater_is_better, metric, split))


def skills_figure(estimates: Sequence[SkillEstimate]) -> Figure:
    """Each practiced skill's estimate as a dot on its 90% interval, strongest on top."""
    rows = sorted(estimates, key=lambda e: e.mean)
    fig = Figure(figsize=(6.4, 1.3 + 0.32 * max(len(rows), 1)), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    if rows:
        ys = list(range(len(rows)))
        ax.hlines(ys, [e.low for e in rows], [e.high for e in rows], color="#9db7d5", lw=5)
        ax.plot([e.mean for e in rows], ys, "o", color="#1d3f66", zorder=3)
        ax.set_yticks(ys, [f"{e.skill} ({e.n_attempts})" for e in rows], fontsize=8)
        ax.set_ylim(-0.6, len(rows) - 0.4)
    else:
        ax.text(0.5, 0.5, "no graded attempts yet", ha="center", va="center",
                transform=ax.transAxes, color="#666")  # fmt: skip
        ax.set_yticks([])
    ax.axvline(0.5, color="#ccc", lw=1, ls=":")
    ax.set_xlim(0, 1)
    # Two short lines: one long label centred under an axis pushed right by long skill
    # names ran past the figure's edge.
    ax.set_xlabel(SKILL_AXIS, fontsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig


def skills_svg(estimates: Sequence[SkillEstimate]) -> str:
    """The skills chart (see skills_figure) as SVG."""
    return to_svg(skills_figure(estimates))
