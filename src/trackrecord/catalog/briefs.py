"""brief.md: a project's brief as Markdown under fixed second-level headings.

    ## Source       where the data come from, with the citation
    ## About        what the rows are and how they were collected
    ## Target       what to predict, in the learner's words
    ## Metric       why this metric fits the problem
    ## Columns      "- `column`: meaning", one item per column
    ## Pitfalls     "- the trap", one item per pitfall
    ## Validation   how to validate so the estimate matches the private split
    ## Split        why the test set was cut this way

Headings appear exactly once each, in this order. A paragraph may wrap over several lines
(they are joined with a space); a blank line starts a new paragraph. A list item may wrap
too: its continuation lines are indented. An optional `# title` line may open the file.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from pathlib import Path

from trackrecord.catalog.model import Brief
from trackrecord.errors import Problem

BRIEF_FILE = "brief.md"
HEADINGS = ("Source", "About", "Target", "Metric", "Columns", "Pitfalls", "Validation", "Split")
REQUIRED = ("Source", "About", "Target", "Metric")  # the others may be left empty
WIDTH = 92
_HEADING = re.compile(r"^##\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^[-*]\s+(.*)$")
_COLUMN = re.compile(r"^`([^`]+)`\s*:\s*(.*)$", re.DOTALL)


def _paragraphs(lines: list[str]) -> str:
    """Lines joined with a space within a paragraph, paragraphs with a blank line."""
    out: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            out[-1].append(line.strip())
        elif out[-1]:
            out.append([])
    return "\n\n".join(" ".join(p) for p in out if p)


def _items(lines: list[tuple[int, str]], say: _Problems) -> Iterator[tuple[int, str]]:
    """(line, text) of each list item; continuation lines are joined to their item."""
    current: list[str] = []
    start = 0
    for number, line in lines:
        match = _ITEM.match(line)
        if match:
            if current:
                yield start, " ".join(current)
            current, start = [match.group(1).strip()], number
        elif line.strip() and current and line[:1].isspace():
            current.append(line.strip())
        elif line.strip():
            say(number, "expected a list item starting with `- ` (indent a continued line)")
    if current:
        yield start, " ".join(current)


class _Problems:
    def __init__(self, file: Path, problems: list[Problem]) -> None:
        self.file, self.problems = str(file), problems

    def __call__(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(message, file=self.file, line=line))


def _sections(text: str, say: _Problems) -> dict[str, list[tuple[int, str]]]:
    """Each heading's lines (numbered); reports unknown, repeated, missing and misordered
    headings, and text before the first one."""
    sections: dict[str, list[tuple[int, str]]] = {}
    current: str | None = None
    in_code = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("```"):
            in_code = not in_code
        match = None if in_code else _HEADING.match(line)
        if match:
            name = match.group(1)
            if name not in HEADINGS:
                say(number, f"unknown heading `## {name}` (expected {_listed(HEADINGS)})")
                current = None
                continue
            if name in sections:
                say(number, f"heading `## {name}` appears twice")
            current = name
            sections[name] = []
        elif current is not None:
            sections[current].append((number, line))
        elif line.strip() and not (line.startswith("# ") and number == 1):
            say(number, "text before `## Source`: every part of the brief goes under a heading")
    missing = [h for h in HEADINGS if h not in sections]
    for name in missing:
        say(None, f"missing heading `## {name}` (the brief needs {_listed(HEADINGS)})")
    present = [h for h in sections if h in HEADINGS]
    if not missing and present != list(HEADINGS):
        say(None, f"headings out of order: expected {_listed(HEADINGS)}")
    return sections


def _listed(names: tuple[str, ...]) -> str:
    return ", ".join(f"`## {n}`" for n in names)


def parse_brief_text(text: str, file: Path, problems: list[Problem]) -> Brief | None:
    """The Brief written in `text`; None (and `problems` filled) when it is not valid."""
    say = _Problems(file, problems)
    before = len(problems)
    sections = _sections(text, say)
    prose = {h: _paragraphs([line for _, line in sections.get(h, [])]) for h in HEADINGS}
    for name in REQUIRED:
        if name in sections and not prose[name]:
            say(None, f"`## {name}` is empty")
    columns: dict[str, str] = {}
    for number, item in _items(sections.get("Columns", []), say):
        match = _COLUMN.match(item)
        if not match:
            say(number, 'a column item reads "- `column`: what it means"')
            continue
        if match.group(1) in columns:
            say(number, f"column `{match.group(1)}` is described twice")
        columns[match.group(1)] = match.group(2).strip()
    pitfalls = tuple(item for _, item in _items(sections.get("Pitfalls", []), say))
    if len(problems) > before:
        return None
    return Brief(
        source=prose["Source"],
        about=prose["About"],
        target=prose["Target"],
        metric_why=prose["Metric"],
        columns=columns,
        pitfalls=pitfalls,
        validation=prose["Validation"],
        split_why=prose["Split"],
    )


def parse_brief(file: Path, problems: list[Problem]) -> Brief | None:
    """brief.md of a project folder (see parse_brief_text)."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(f"no {file.name} in the folder", file=str(file)))
        return None
    return parse_brief_text(text, file, problems)


_BLOCK_START = re.compile(r"^\s*([-*+>#|]|\d+[.)])(\s|$)")


def _wrap(text: str, indent: str = "") -> str:
    """`text` wrapped at about WIDTH; as a list item when `indent` is given. No wrapped line
    may start with what Markdown reads as a new block (a list marker, a heading)."""
    for width in range(WIDTH, WIDTH - 20, -1):
        lines = textwrap.wrap(
            text,
            width,
            initial_indent="- " if indent else "",
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
        if not any(_BLOCK_START.match(line) for line in lines[1:]):
            break
    return "\n".join(lines)


def brief_markdown(brief: Brief, title: str | None = None) -> str:
    """The Brief as brief.md (what parse_brief_text reads back, equal)."""
    parts = [f"# {title}\n"] if title else []

    def prose(name: str, text: str) -> None:
        body = "\n\n".join(_wrap(p) for p in text.split("\n\n") if p.strip())
        parts.append(f"## {name}\n\n{body}\n" if body else f"## {name}\n")

    prose("Source", brief.source)
    prose("About", brief.about)
    prose("Target", brief.target)
    prose("Metric", brief.metric_why)
    columns = [_wrap(f"`{c}`: {m}", "  ") for c, m in brief.columns.items()]
    parts.append("## Columns\n\n" + "\n".join(columns) + "\n" if columns else "## Columns\n")
    pitfalls = [_wrap(p, "  ") for p in brief.pitfalls]
    parts.append("## Pitfalls\n\n" + "\n".join(pitfalls) + "\n" if pitfalls else "## Pitfalls\n")
    prose("Validation", brief.validation)
    prose("Split", brief.split_why)
    return "\n".join(parts)
