"""The ladder as a picture: the catalog page draws every project as a node in its level's
column (grouped by family), every prerequisite as an edge, and the learner's medals on the
nodes. Plain server-side SVG (no script): each node links to its project and carries its
status and reason as a tooltip, so the picture works in any browser and in tests."""

from __future__ import annotations

from dataclasses import dataclass

from trackrecord.catalog.families import FAMILIES
from trackrecord.service.ladder import Edge, Ladder, Node

NODE_W, NODE_H = 160, 24
COLUMN_W = 214  # node plus room for the edges between columns
ROW_H = 30
FAMILY_GAP = 10
TOP = 44  # room for the level headings
LEFT = 12
# One colour per family, readable on white and told apart from the status colours.
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#9c755f",
    "#e15759",
    "#8cd17d",
    "#499894",
    "#d37295",
    "#bab0ac",
)
FAMILY_COLOURS = dict(zip(FAMILIES, PALETTE, strict=True))


@dataclass(frozen=True)
class PlacedNode:
    node: Node
    x: int
    y: int
    colour: str

    @property
    def tooltip(self) -> str:
        status = {"done": "done", "recommended": "recommended", "not_yet": "not yet"}
        medal = f", {self.node.medal}" if self.node.medal else ""
        return (
            f"{self.node.title} (level {self.node.level}, {self.node.family}): "
            f"{status.get(self.node.status, self.node.status)}{medal}; {self.node.reason}"
        )


@dataclass(frozen=True)
class PlacedEdge:
    edge: Edge
    d: str  # the SVG path


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    levels: tuple[tuple[int, int], ...]  # (level, x of its column)
    nodes: tuple[PlacedNode, ...]
    edges: tuple[PlacedEdge, ...]
    legend: tuple[tuple[str, str], ...]  # (family, colour) for the families present


def _edge_path(a: PlacedNode, b: PlacedNode) -> str:
    """A curve from the right side of `a` to the left side of `b`; between two nodes of the
    same column, a loop out to the right and back."""
    ay, by = a.y + NODE_H // 2, b.y + NODE_H // 2
    if a.x == b.x:
        ax, bx = a.x + NODE_W, b.x + NODE_W
        bend = ax + 26
        return f"M{ax},{ay} C{bend},{ay} {bend},{by} {bx},{by}"
    if a.x < b.x:
        ax, bx = a.x + NODE_W, b.x
    else:  # a prerequisite at a higher level than its project: draw it backwards
        ax, bx = a.x, b.x + NODE_W
    mid = (ax + bx) // 2
    return f"M{ax},{ay} C{mid},{ay} {mid},{by} {bx},{by}"


def picture(ladder: Ladder) -> Picture:
    """Place the nodes: one column per level (left to right), families stacked in order
    with a small gap between them."""
    columns = ladder.by_level()
    levels = sorted(columns)
    x_of = {level: LEFT + i * COLUMN_W for i, level in enumerate(levels)}
    placed: dict[str, PlacedNode] = {}
    bottom = TOP
    for level in levels:
        y, previous = TOP, None
        for node in columns[level]:
            if previous is not None and node.family != previous:
                y += FAMILY_GAP
            colour = FAMILY_COLOURS.get(node.family, PALETTE[-1])
            placed[node.id] = PlacedNode(node, x_of[level], y, colour)
            y, previous = y + ROW_H, node.family
        bottom = max(bottom, y)
    edges = tuple(
        PlacedEdge(e, _edge_path(placed[e.source], placed[e.target]))
        for e in ladder.edges
        if e.source in placed and e.target in placed
    )
    return Picture(
        width=LEFT + len(levels) * COLUMN_W,
        height=bottom + 8,
        levels=tuple((level, x_of[level]) for level in levels),
        nodes=tuple(placed[n.id] for n in ladder.nodes),
        edges=edges,
        legend=tuple((f, FAMILY_COLOURS.get(f, PALETTE[-1])) for f in ladder.families),
    )
