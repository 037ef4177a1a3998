"""The site's two figures as small inline SVGs, written directly (no plotting library): a
site of a hundred projects draws a hundred histories, and matplotlib takes ~0.1 s per figure.

They follow the web app's plots (`web/plot.py`): the same colours and dash patterns for the
medal lines, the best-so-far step line, practice submissions drawn apart, and the skills as a
dot on a 90% interval.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

LINES = (
    ("baseline", "#a0522d", "2 4", "bronze: beat the baseline"),
    ("reference", "#5f7d95", "10 6", "silver: reach the reference"),
    ("gold", "#d4a017", "12 4 2 4", "gold: beat it by the margin"),
)
SCORE, BEST, PRACTICE, INK, GRID = "#3b6ea8", "#1d3f66", "#8e44ad", "#333", "#ddd"
FONT = 'font-family="system-ui, sans-serif"'


@dataclass(frozen=True)
class Point:
    number: int  # the submission's number in the project (#1, #2, ...)
    score: float
    practice: bool = False


@dataclass(frozen=True)
class SkillBar:
    skill: str
    mean: float
    low: float
    high: float
    attempts: int


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About `count` round numbers covering [low, high]."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low]
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.ceil(low / step) * step
    ticks, value = [], start
    while value <= high + step * 1e-9:
        ticks.append(round(value, 12))
        value += step
    return ticks


def _best(points: Sequence[Point], greater_is_better: bool) -> list[float]:
    best: list[float] = []
    for p in points:
        pick = max if greater_is_better else min
        best.append(p.score if not best else pick(best[-1], p.score))
    return best


def history_svg(
    points: Sequence[Point],
    lines: Mapping[str, float | None],
    *,
    greater_is_better: bool,
    metric: str,
    split: str = "public",
) -> str:
    """Each scored submission's score against its number, the best so far over the judged
    ones, practice ones as hollow diamonds, and the medal `lines` of `split`."""
    w, h, left, right, top, bottom = 640, 300, 70, 16, 14, 92
    judged = [p for p in points if not p.practice]
    values = [p.score for p in points] + [v for v in lines.values() if v is not None]
    values = [v for v in values if math.isfinite(v)]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    pad = (hi - lo) * 0.08 or abs(hi) * 0.1 or 1.0
    lo, hi = lo - pad, hi + pad
    numbers = [p.number for p in points] or [1]
    x0, x1 = min(numbers) - 0.5, max(numbers) + 0.5

    def x(n: float) -> float:
        return left + (n - x0) / (x1 - x0) * (w - left - right)

    def y(v: float) -> float:
        return top + (hi - v) / (hi - lo) * (h - top - bottom)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" '
        f'class="chart" {FONT} font-size="11">',
        f"<title>{escape(metric)} of each submission ({split} split)</title>",
    ]
    for tick in nice_ticks(lo, hi):
        out.append(f'<line x1="{left}" x2="{w - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
                   f'stroke="{GRID}" stroke-width="0.5"/>')  # fmt: skip
        out.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" '
                   f'fill="{INK}">{_fmt(tick)}</text>')  # fmt: skip
    step = max(-(-len(numbers) // 12), 1)
    for n in sorted(set(numbers))[::step]:
        out.append(f'<text x="{x(n):.1f}" y="{h - bottom + 16}" text-anchor="middle" '
                   f'fill="{INK}">#{n}</text>')  # fmt: skip
    for key, colour, dash, _ in LINES:
        value = lines.get(key)
        if value is not None:
            out.append(f'<line x1="{left}" x2="{w - right}" y1="{y(value):.1f}" '
                       f'y2="{y(value):.1f}" stroke="{colour}" stroke-width="1.6" '
                       f'stroke-dasharray="{dash}"/>')  # fmt: skip
    if judged:
        best = _best(judged, greater_is_better)
        path = [f"M{x(judged[0].number):.1f},{y(best[0]):.1f}"]
        for p, b in zip(judged[1:], best[1:], strict=True):
            path.append(f"H{x(p.number):.1f}V{y(b):.1f}")
        path.append(f"H{x(x1):.1f}")
        out.append(f'<path d="{"".join(path)}" fill="none" stroke="{BEST}" stroke-width="1.6"/>')
    for p in points:
        cx, cy = x(p.number), y(p.score)
        if p.practice:
            out.append(f'<path d="M{cx:.1f},{cy - 5:.1f}l5,5l-5,5l-5,-5z" fill="white" '
                       f'stroke="{PRACTICE}" stroke-width="1.5"/>')  # fmt: skip
        else:
            out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{SCORE}"/>')
    if not points:
        out.append(f'<text x="{w / 2}" y="{h / 2 - 30}" text-anchor="middle" fill="#666">'
                   "no scored submissions recorded here</text>")  # fmt: skip
    out.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{h - bottom}" stroke="{INK}"/>')
    out.append(f'<line x1="{left}" x2="{w - right}" y1="{h - bottom}" y2="{h - bottom}" '
               f'stroke="{INK}"/>')  # fmt: skip
    label = f"{metric}, {split} split ({'higher' if greater_is_better else 'lower'} is better)"
    out.append(f'<text x="{left}" y="{h - bottom + 34}" fill="{INK}">submission # · '
               f"{escape(label)}</text>")  # fmt: skip
    out += _legend(lines, split, bool(judged), any(p.practice for p in points), h - 40)
    out.append("</svg>")
    return "\n".join(out)


def _legend(
    lines: Mapping[str, float | None], split: str, scores: bool, practice: bool, y: float
) -> list[str]:
    items: list[tuple[str, str]] = []
    if scores:
        items.append((f'<circle cx="8" cy="-4" r="4" fill="{SCORE}"/>', f"{split} score"))
        items.append((f'<line x1="0" x2="16" y1="-4" y2="-4" stroke="{BEST}" '
                      'stroke-width="1.6"/>', "best so far"))  # fmt: skip
    if practice:
        items.append((f'<path d="M8,-9l5,5l-5,5l-5,-5z" fill="white" stroke="{PRACTICE}"/>',
                      "practice (never counts)"))  # fmt: skip
    for key, colour, dash, text in LINES:
        if lines.get(key) is not None:
            items.append((f'<line x1="0" x2="16" y1="-4" y2="-4" stroke="{colour}" '
                          f'stroke-width="1.6" stroke-dasharray="{dash}"/>', text))  # fmt: skip
    out = []
    for i, (mark, text) in enumerate(items):
        gx, gy = 16 + (i % 3) * 205, y + (i // 3) * 17
        out.append(f'<g transform="translate({gx},{gy})">{mark}'
                   f'<text x="22" y="0" fill="{INK}">{escape(text)}</text></g>')  # fmt: skip
    return out


def skills_svg(bars: Sequence[SkillBar]) -> str:
    """Each skill's estimate as a dot on its 90% interval, strongest on top."""
    rows = sorted(bars, key=lambda b: -b.mean)
    w, left, right, row = 640, 190, 20, 24
    h = 70 + row * max(len(rows), 1)
    axis = 18 + row * max(len(rows), 1)

    def x(v: float) -> float:
        return left + min(max(v, 0.0), 1.0) * (w - left - right)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" '
        f'class="chart" {FONT} font-size="11">',
        "<title>Estimated skill per skill, with 90% intervals</title>",
        f'<line x1="{x(0.5):.1f}" x2="{x(0.5):.1f}" y1="8" y2="{axis}" stroke="{GRID}" '
        'stroke-dasharray="2 3"/>',
    ]
    for i, b in enumerate(rows):
        cy = 18 + i * row
        out.append(f'<text x="{left - 8}" y="{cy + 4}" text-anchor="end" fill="{INK}">'
                   f"{escape(b.skill)} ({b.attempts})</text>")  # fmt: skip
        out.append(f'<line x1="{x(b.low):.1f}" x2="{x(b.high):.1f}" y1="{cy}" y2="{cy}" '
                   'stroke="#9db7d5" stroke-width="8" stroke-linecap="round"/>')  # fmt: skip
        out.append(f'<circle cx="{x(b.mean):.1f}" cy="{cy}" r="5" fill="{BEST}"/>')
    if not rows:
        out.append(f'<text x="{w / 2}" y="22" text-anchor="middle" fill="#666">'
                   "no graded attempts yet</text>")  # fmt: skip
    out.append(f'<line x1="{left}" x2="{w - right}" y1="{axis}" y2="{axis}" stroke="{INK}"/>')
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        out.append(f'<text x="{x(tick):.1f}" y="{axis + 14}" text-anchor="middle" '
                   f'fill="{INK}">{tick:g}</text>')  # fmt: skip
    out.append(f'<text x="{left}" y="{axis + 30}" fill="{INK}">chance of success on an average '
               "project</text>")  # fmt: skip
    out.append(f'<text x="{left}" y="{axis + 44}" fill="#666">dot: estimate; bar: 90% interval; '
               "(n): graded attempts</text>")  # fmt: skip
    out.append("</svg>")
    return "\n".join(out)
