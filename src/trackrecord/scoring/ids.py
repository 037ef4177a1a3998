"""Finding each submission row's answer-key row by id, without a hash table where possible.

Integer ids (the catalog's, and most competitions') are looked up in numpy through the
answer key's id order, computed once when the key is parsed and kept in its cache:
  - ids that are exactly `low .. low + n - 1` (a shuffled range, as the catalog writes
    them): the row of id `v` is `order[v - low]`, one gather;
  - other integer ids: the submission's ids are sorted and merged with the key's sorted
    ids (`searchsorted` over sorted needles: a binary search per random needle is ~20x
    slower at 3M rows).
Other ids (text) go through pyarrow's hash lookup (`pyarrow.compute.index_in`, imported
only then). Every lookup returns a position per submission row, -1 where the id is not in
the answer key or is empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from trackrecord.scoring.arrays import to_numpy

Positions = NDArray[np.signedinteger[Any]]


def _indexable(kind: pa.DataType) -> bool:
    """Integer ids that fit int64 (uint64 may not: those are compared as text)."""
    return pa.types.is_integer(kind) and not pa.types.is_uint64(kind)


@dataclass(frozen=True)
class IdOrder:
    """The answer key's integer ids and their order: `order[k]` is the row of the k-th
    smallest id; None when the key is already sorted by id (no array needed)."""

    ids: NDArray[np.int64]
    order: Positions | None

    @property
    def low(self) -> int:
        return int(self.ids[0] if self.order is None else self.ids[self.order[0]])

    @property
    def high(self) -> int:
        return int(self.ids[-1] if self.order is None else self.ids[self.order[-1]])

    @property
    def dense(self) -> bool:
        """The ids are exactly low .. low + n - 1, in some order."""
        return self.high - self.low + 1 == len(self.ids)

    @cached_property
    def sorted_ids(self) -> NDArray[np.int64]:
        return self.ids if self.order is None else self.ids[self.order]

    def row(self, k: Positions) -> Positions:
        """Answer-key rows of the k-th smallest ids."""
        return k if self.order is None else np.take(self.order, k)  # faster than order[k]


def build_id_order(ids: pa.Array) -> IdOrder | None:
    """The id order of an answer key's id column, or None when its ids are not unique
    integers (text ids, or duplicates: those are looked up by hashing)."""
    if not _indexable(ids.type) or ids.null_count:
        return None
    values = _int64(ids)
    if len(values) < 2 or bool(np.all(values[1:] > values[:-1])):
        return IdOrder(values, None)
    n = len(values)
    dtype = np.int32 if n < 2**31 else np.int64
    low, high = int(values.min()), int(values.max())
    if high - low + 1 == n:  # a shuffled range: its order is a scatter, not a sort
        order: Positions = np.full(n, -1, dtype=dtype)
        order[values - low] = np.arange(n, dtype=dtype)
        return IdOrder(values, order) if int(order.min()) >= 0 else None  # -1: a duplicate
    order = np.argsort(values).astype(dtype, copy=False)
    ranked = values[order]
    if bool(np.any(ranked[1:] == ranked[:-1])):
        return None
    return IdOrder(values, order)


def _int64(ids: pa.Array) -> NDArray[np.int64]:
    """Integer ids as int64 without a copy where they are int64 already; a null's slot
    holds whatever its buffer holds (callers mask nulls)."""
    if ids.null_count:
        kind = ids.type
        dtype = np.dtype(str(kind))
        raw = np.frombuffer(
            ids.buffers()[1], dtype=dtype, count=len(ids), offset=ids.offset * dtype.itemsize
        )
        return raw.astype(np.int64, copy=False)
    return to_numpy(ids).astype(np.int64, copy=False)


def lookup(ids: pa.ChunkedArray, key_ids: pa.Array, key: IdOrder | None) -> Positions:
    """The answer-key row of each id, -1 for ids not in the key and for empty ids.

    Integer ids are looked up chunk by chunk, as the CSV reader left them: joining the
    chunks first would copy the column, and on a machine where fresh memory is slow
    (docs/benchmarks.md) the copy and its temporaries cost more than the lookup.
    """
    if key is None or not _indexable(ids.type) or len(key.ids) == 0:
        return _hashed(ids, key_ids)
    # intp, whatever the order's type: numpy converts narrower indices on every use (2x slower).
    pos = np.empty(len(ids), dtype=np.intp)
    start = 0
    for chunk in ids.chunks:
        end = start + len(chunk)
        values = _int64(chunk)
        found = _dense(values, key) if key.dense else _merged(values, key)
        if chunk.null_count:
            found[to_numpy(chunk.is_null())] = -1
        pos[start:end] = found
        start = end
    return pos


def _dense(values: NDArray[np.int64], key: IdOrder) -> Positions:
    low, n = key.low, len(key.ids)
    if len(values) == 0:
        return np.empty(0, dtype=np.intp)
    if int(values.min()) >= low and int(values.max()) < low + n:
        pos = key.row(values - low)
        return pos.astype(np.intp, copy=False) if key.order is None else pos
    rel = values - low
    inside = (rel >= 0) & (rel < n)
    pos = np.where(inside, key.row(np.where(inside, rel, 0)), -1)
    return pos


def _merged(values: NDArray[np.int64], key: IdOrder) -> Positions:
    """Sort the submission's ids and find them all in the key's sorted ids in one pass."""
    ranked = key.sorted_ids
    order = np.argsort(values)
    needles = values[order]
    k = np.searchsorted(ranked, needles)
    np.minimum(k, len(ranked) - 1, out=k)
    found = ranked[k] == needles if len(ranked) else np.zeros(len(k), dtype=bool)
    pos = np.full(len(values), -1, dtype=np.intp)
    pos[order] = np.where(found, key.row(k), -1)
    return pos


def _hashed(ids: pa.ChunkedArray, key_ids: pa.Array) -> Positions:
    if ids.type != key_ids.type:
        ids, key_ids = ids.cast(pa.string()), key_ids.cast(pa.string())
    import pyarrow.compute as pc  # 25 ms of imports that integer ids don't need

    index = pc.index_in(ids.combine_chunks(), value_set=key_ids)
    # Not `fill_null(-1)`: making the scalar imports pandas (0.15 s). A null's slot in the
    # values buffer is unspecified, so it is masked explicitly.
    raw = np.frombuffer(
        index.buffers()[1], dtype=np.int32, count=len(index), offset=index.offset * 4
    ).astype(np.intp)
    if index.null_count:
        raw[to_numpy(index.is_null())] = -1
    return raw


def is_permutation(pos: Positions, n: int) -> bool:
    """Every one of the n answer-key rows exactly once (no -1, no repeats)."""
    if len(pos) != n:
        return False
    if n == 0:
        return True
    if int(pos.min()) < 0:
        return False
    seen = np.zeros(n, dtype=np.bool_)
    seen[pos] = True
    return bool(seen.all())
