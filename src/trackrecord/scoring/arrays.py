"""Arrow -> numpy without detours: pyarrow's general conversion imports pandas (~0.3 s),
which the scoring path otherwise never needs.

The scoring modules use Arrow's methods (`Array.cast`, `Array.unique`) or import
`pyarrow.compute` where a function needs it: importing it builds ~300 wrappers (25 ms),
and a valid submission in answer-key order needs none of them."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

# numpy names of the Arrow float types whose names differ (str(pa.float64()) is "double")
NUMPY_NAMES = {"double": "float64", "float": "float32", "halffloat": "float16"}


@functools.cache
def read_pool() -> pa.MemoryPool:
    """The memory pool for large reads: jemalloc where this pyarrow build has it.

    Measured on the 10M-row benchmark, a fresh process reads a 260 MiB CSV in 0.38 s with
    jemalloc and 0.87 s with pyarrow's default (mimalloc) pool on Linux: the difference
    is how fast fresh pages are obtained (docs/benchmarks.md).
    """
    try:
        return pa.jemalloc_memory_pool()
    except (NotImplementedError, pa.ArrowNotImplementedError):
        return pa.default_memory_pool()


def single(column: pa.ChunkedArray) -> pa.Array:
    """The one chunk of a column without a copy (combine_chunks copies even one chunk)."""
    return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()


def to_numpy(arr: pa.Array | pa.ChunkedArray) -> NDArray[Any]:
    """Primitive arrays without nulls are zero-copy; booleans via int8; nulls as NaN
    (floats) ; strings as an object array."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    kind = arr.type
    if pa.types.is_boolean(kind):
        return to_numpy(arr.cast(pa.int8())).astype(bool)
    if pa.types.is_dictionary(kind):
        names = np.array(arr.dictionary.to_pylist(), dtype=object)
        decoded: NDArray[Any] = names[to_numpy(arr.indices)]
        return decoded
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return np.array(arr.to_pylist(), dtype=object)
    if arr.null_count == 0 and (pa.types.is_integer(kind) or pa.types.is_floating(kind)):
        # Even zero-copy `Array.to_numpy` consults pandas; read the data buffer directly.
        dtype = np.dtype(NUMPY_NAMES.get(str(kind), str(kind)))
        data: NDArray[Any] = np.frombuffer(
            arr.buffers()[1], dtype=dtype, count=len(arr), offset=arr.offset * dtype.itemsize
        )
        return data
    if pa.types.is_floating(kind):
        return to_numpy(arr.fill_null(np.nan))
    out: NDArray[Any] = arr.to_numpy(zero_copy_only=False)
    return out
