"""The answer key, loaded once: typed arrays plus a Usage code per row.

Parsing a large solution.csv costs as much as reading the submission, so a parsed copy is
kept in memory and, when a cache folder is given, as an Arrow IPC file that is
memory-mapped on later runs. The cache key is the file's path, size and mtime.

Integer ids get their order computed with the parse and cached beside them (`IdOrder`), so
a submission in any row order is matched with a gather, not a hash join (scoring/ids.py).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.ipc as ipc
from numpy.typing import NDArray

from trackrecord.bundle.model import Challenge
from trackrecord.bundle.writer import USAGE, USAGE_VALUES
from trackrecord.errors import InvalidBundle, Problem, strip_paths
from trackrecord.metrics import InputKind, get_metric
from trackrecord.scoring.arrays import read_pool, single, to_numpy
from trackrecord.scoring.ids import IdOrder, build_id_order

PUBLIC, PRIVATE, IGNORED = 0, 1, 2
CACHE_FORMAT = "3"  # 3: the id order (`__order`, metadata `ids`)

FLOAT_TRUTH = {InputKind.VALUES, InputKind.SCORES, InputKind.RISK, InputKind.MULTILABEL}


@dataclass(frozen=True)
class Solution:
    ids: pa.Array
    usage: NDArray[np.int8]
    columns: dict[str, pa.Array]
    groups: pa.Array | None
    id_order: IdOrder | None = None  # None: ids are matched by hashing (text, duplicates)

    def __len__(self) -> int:
        return len(self.ids)


def truth_type(challenge: Challenge) -> pa.DataType:
    kind = get_metric(challenge.metric).kind
    return pa.float64() if kind in FLOAT_TRUTH else pa.string()


LABELS = pa.dictionary(pa.int32(), pa.string())  # the CSV reader's dictionary type

_MEMORY: dict[tuple[str, int, int, str], Solution] = {}


def load_solution(path: Path, challenge: Challenge, cache_dir: Path | None = None) -> Solution:
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns, challenge.metric)
    memo = _MEMORY.get(key)  # one lookup: another thread may clear the memo meanwhile
    if memo is not None:
        return memo
    cached = _read_cached(key, cache_dir) if cache_dir else None
    if cached is not None:
        solution = _from_cache_table(cached)
    else:
        solution = _to_solution(_read_csv(path, challenge), challenge, path.name)
        solution = replace(solution, id_order=build_id_order(solution.ids))
        if cache_dir:
            _write_cache(key, _to_cache_table(solution), cache_dir)
    _MEMORY.clear()  # one answer key at a time: they can be large
    _MEMORY[key] = solution  # dict operations are atomic under the GIL
    return solution


# The cache holds the parsed arrays (usage already as int8 codes), so a warm load is a
# memory map and nothing else.
def _to_cache_table(solution: Solution) -> pa.Table:
    usage = np.ascontiguousarray(solution.usage, dtype=np.int8)
    # Wrapping the buffer, not `pa.array`, which would import pandas (see `_to_solution`).
    codes = pa.Array.from_buffers(pa.int8(), usage.size, [None, pa.py_buffer(usage)])
    columns = {"__id": solution.ids, "__usage": codes}
    if solution.groups is not None:
        columns["__group"] = solution.groups
    index = solution.id_order
    ids = b"hashed" if index is None else b"sorted" if index.order is None else b"order"
    if index is not None and index.order is not None:
        order = np.ascontiguousarray(index.order)
        kind = pa.int32() if order.dtype == np.int32 else pa.int64()
        columns["__order"] = pa.Array.from_buffers(kind, order.size, [None, pa.py_buffer(order)])
    columns.update(solution.columns)
    return pa.table(columns).replace_schema_metadata({b"ids": ids})


def _from_cache_table(table: pa.Table) -> Solution:
    names = [n for n in table.column_names if not n.startswith("__")]
    groups = single(table.column("__group")) if "__group" in table.column_names else None
    ids = single(table.column("__id"))
    kind = (table.schema.metadata or {}).get(b"ids")
    index = None
    if kind == b"sorted":
        index = IdOrder(to_numpy(ids).astype(np.int64, copy=False), None)
    elif kind == b"order":
        order = to_numpy(single(table.column("__order")))
        index = IdOrder(to_numpy(ids).astype(np.int64, copy=False), order)
    return Solution(
        ids=ids,
        usage=to_numpy(single(table.column("__usage"))),
        columns={n: single(table.column(n)) for n in names},
        groups=groups,
        id_order=index,
    )


def _cache_file(key: tuple[str, int, int, str], cache_dir: Path) -> Path:
    digest = hashlib.sha256(repr((CACHE_FORMAT, *key)).encode()).hexdigest()[:32]
    return cache_dir / "solutions" / f"{digest}.arrow"


def _read_cached(key: tuple[str, int, int, str], cache_dir: Path) -> pa.Table | None:
    file = _cache_file(key, cache_dir)
    if not file.is_file():
        return None
    try:
        return ipc.open_file(pa.memory_map(str(file))).read_all()
    except (pa.ArrowInvalid, OSError):
        return None  # a torn cache file is rebuilt, never trusted


def _write_cache(key: tuple[str, int, int, str], table: pa.Table, cache_dir: Path) -> None:
    file = _cache_file(key, cache_dir)
    file.parent.mkdir(parents=True, exist_ok=True)
    # A unique temp name per writer: threads of one server may fill the cache at once.
    fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=f".{file.stem}-", suffix=".tmp")
    os.close(fd)
    try:
        with pa.OSFile(tmp, "wb") as sink, ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        os.replace(tmp, file)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_csv(path: Path, challenge: Challenge) -> pa.Table:
    # Labels and Usage are read straight into dictionaries: a few distinct strings over
    # millions of rows, hashed once by the reader instead of materialized and then encoded.
    truth = truth_type(challenge)
    labels = LABELS if truth == pa.string() else truth
    types: dict[str, pa.DataType] = {c: labels for c in challenge.solution_columns}
    types[USAGE] = LABELS
    if challenge.group_column:
        types[challenge.group_column] = pa.string()
    try:
        return pacsv.read_csv(
            str(path),
            memory_pool=read_pool(),
            convert_options=pacsv.ConvertOptions(
                column_types=types, null_values=[""], strings_can_be_null=True
            ),
        )
    except (pa.ArrowInvalid, OSError) as exc:
        message = strip_paths(str(exc), path)
        raise InvalidBundle(f"private/solution.csv cannot be read: {message}") from None


def _to_solution(table: pa.Table, challenge: Challenge, name: str) -> Solution:
    needed = [challenge.id_column, *challenge.solution_columns, USAGE]
    if challenge.group_column:
        needed.append(challenge.group_column)
    missing = [c for c in needed if c not in table.column_names]
    if missing:
        raise InvalidBundle(
            f"private/{name} lacks column(s) {', '.join(missing)}",
            problems=[Problem(f"missing column {c!r}", file=f"private/{name}") for c in missing],
        )
    ids = table.column(challenge.id_column).combine_chunks()
    if not pa.types.is_integer(ids.type):
        ids = ids.cast(pa.string())
    # `_read_csv` reads Usage and label columns as dictionaries (LABELS). Usage is mapped
    # through its own dictionary: building an Arrow value set (`pa.array`) would import
    # pandas, a fixed 0.15 s that the scoring path otherwise never pays.
    usage_col = table.column(USAGE).combine_chunks()
    names = usage_col.dictionary.to_pylist()
    if usage_col.null_count or any(n not in USAGE_VALUES for n in names):
        raise InvalidBundle(f"private/{name} has Usage values other than {'/'.join(USAGE_VALUES)}")
    codes = np.array([USAGE_VALUES.index(n) for n in names], dtype=np.int8)
    usage = codes[to_numpy(usage_col.indices)]
    # Dictionary-encoded labels: comparing against a label is an integer comparison, and
    # the cache stores each distinct label once.
    columns = {c: table.column(c).combine_chunks() for c in challenge.solution_columns}
    groups = (
        table.column(challenge.group_column).combine_chunks() if challenge.group_column else None
    )
    return Solution(ids=ids, usage=usage, columns=columns, groups=groups)
