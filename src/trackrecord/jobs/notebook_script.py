"""A notebook (.ipynb) as the script the sandbox runs: its code cells, in order.

The sandbox runs plain Python, not a kernel. A cell that is valid Python is kept verbatim.
In a cell that is not, lines that are IPython magics (`%matplotlib inline`) or shell
commands (`!pip install x`) are replaced by `pass`, and a cell magic (`%%bash`) skips its
whole cell; each skip is announced on stderr when the script starts, so a run that then
fails says why. `display(...)`, a notebook builtin, prints.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

PRELUDE = """\
import sys as _trackrecord_sys
for _trackrecord_note in {notes!r}:
    print("trackrecord: " + _trackrecord_note, file=_trackrecord_sys.stderr)
del _trackrecord_sys, _trackrecord_note


def display(*objects, **_options):
    \"\"\"The notebook builtin, as a print (the sandbox has no notebook front end).\"\"\"
    for obj in objects:
        print(obj)

"""
WHY = "IPython magics and shell commands do not run in the sandbox"


class NotebookError(ValueError):
    """The file is not a notebook this sandbox can run; the message says why."""


@dataclass(frozen=True)
class Script:
    text: str
    notes: tuple[str, ...]


def _compiles(source: str) -> bool:
    try:
        compile(source, "<cell>", "exec")
    except (SyntaxError, ValueError):
        return False
    return True


def _clip(line: str, width: int = 60) -> str:
    line = line.strip()
    return line if len(line) <= width else line[: width - 3] + "..."


def _cell(source: str, number: int, notes: list[str]) -> str:
    if _compiles(source):
        return source
    lines = source.splitlines()
    first = next((ln for ln in lines if ln.strip()), "")
    if first.lstrip().startswith("%%"):
        notes.append(f"cell {number}: skipped, it is a cell magic `{_clip(first)}` ({WHY})")
        return "pass"
    kept = []
    for i, line in enumerate(lines, 1):
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            indent = line[: len(line) - len(stripped)]
            kept.append(f"{indent}pass")
            notes.append(f"cell {number}, line {i}: skipped `{_clip(line)}` ({WHY})")
        else:
            kept.append(line)
    return "\n".join(kept)


def notebook_script(raw: bytes) -> Script:
    """The script of a notebook's code cells; NotebookError when `raw` is no notebook."""
    # nbformat takes seconds to import (it compiles its schemas): only notebooks pay for it.
    import nbformat
    from nbformat.reader import NotJSONError

    try:
        nb = nbformat.reads(raw.decode("utf-8"), as_version=4)  # type: ignore[no-untyped-call]
    except (UnicodeDecodeError, json.JSONDecodeError, NotJSONError) as exc:
        raise NotebookError(f"the notebook is not valid JSON in UTF-8: {exc}") from exc
    except Exception as exc:  # nbformat raises several kinds for a malformed notebook
        raise NotebookError(f"the notebook could not be read: {exc}") from exc
    notes: list[str] = []
    parts = []
    code_cells = [c for c in nb.cells if c.get("cell_type") == "code"]
    for number, cell in enumerate(code_cells, 1):
        body = _cell(str(cell.get("source", "")), number, notes)
        parts.append(f"# --- cell {number} ---\n{body}\n")
    if not code_cells:
        raise NotebookError("the notebook has no code cells")
    return Script(PRELUDE.format(notes=tuple(notes)) + "\n".join(parts), tuple(notes))
