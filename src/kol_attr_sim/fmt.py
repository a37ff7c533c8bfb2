"""Vectorised builders of typed Arrow columns and of the text formats exports use."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SHANGHAI = 8 * 3600


def s(values: object, mask: np.ndarray | None = None) -> pa.Array:
    """A varchar column (``None`` or ``mask=True`` -> null)."""
    if isinstance(values, pa.Array | pa.ChunkedArray):
        arr = values
    else:
        arr = pa.array(values, type=pa.string(), from_pandas=True)
    if mask is not None:
        arr = pc.if_else(pa.array(mask), pa.scalar(None, pa.string()), arr)
    return arr


def take(dictionary: np.ndarray | pa.Array, idx: np.ndarray) -> pa.Array:
    """Strings ``dictionary[idx]`` built in Arrow (cheap for millions of rows)."""
    d = (
        dictionary
        if isinstance(dictionary, pa.Array)
        else pa.array(dictionary, type=pa.string(), from_pandas=True)
    )
    return d.take(pa.array(idx, type=pa.int64()))


def ts(seconds: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """A ``timestamp`` column from epoch seconds (wall-clock value as given, no zone)."""
    return pa.array(np.asarray(seconds, dtype=np.int64) * 1_000_000, type=pa.timestamp("us"), mask=mask)


def date_col(seconds: np.ndarray) -> pa.Array:
    """A ``date`` column from epoch seconds (the UTC calendar day)."""
    return pa.array((np.asarray(seconds, dtype=np.int64) // 86_400).astype(np.int32), type=pa.date32())


def dec(values: np.ndarray, precision: int = 12, mask: np.ndarray | None = None) -> pa.Array:
    """A ``decimal(precision, 2)`` column from floats (rounded half-even to cents)."""
    arr = pa.array(np.round(np.asarray(values, dtype=float), 2), type=pa.float64(), mask=mask)
    return pc.cast(arr, pa.decimal128(precision, 2))


def i64(values: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """A ``bigint`` column."""
    return pa.array(np.asarray(values, dtype=np.int64), type=pa.int64(), mask=mask)


def i32(values: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """An ``integer`` column."""
    return pa.array(np.asarray(values, dtype=np.int32), type=pa.int32(), mask=mask)


def strftime(seconds: np.ndarray, fmt: str) -> pa.Array:
    """Format epoch seconds (already shifted to the wanted wall clock) with ``fmt``."""
    t = pa.array(np.asarray(seconds, dtype=np.int64), type=pa.timestamp("s"))
    return pc.strftime(t, format=fmt)


def local_text(utc_seconds: np.ndarray) -> pa.Array:
    """'YYYY-MM-DD HH:MM:SS' in Asia/Shanghai local time."""
    return strftime(np.asarray(utc_seconds) + SHANGHAI, "%Y-%m-%d %H:%M:%S")


def iso_mixed(utc_seconds: np.ndarray, z_mask: np.ndarray) -> pa.Array:
    """ISO-8601 with an offset: ``...+08:00`` (Shanghai wall clock) or ``...Z`` (UTC) where ``z_mask``."""
    sec = np.asarray(utc_seconds, dtype=np.int64)
    local = pc.binary_join_element_wise(strftime(sec + SHANGHAI, "%Y-%m-%dT%H:%M:%S"), "+08:00", "")
    utc = pc.binary_join_element_wise(strftime(sec, "%Y-%m-%dT%H:%M:%S"), "Z", "")
    return pc.if_else(pa.array(z_mask), utc, local)


def yuan_text(values: np.ndarray) -> np.ndarray:
    """Yuan amounts as text with two decimals ('329.00')."""
    cents = np.round(np.asarray(values, dtype=float) * 100).astype(np.int64)
    sign = np.where(cents < 0, "-", "")
    a = np.abs(cents)
    return np.char.add(
        np.char.add(np.char.add(sign, (a // 100).astype(str)), "."), np.char.zfill((a % 100).astype(str), 2)
    )


def wan_text(counts: np.ndarray) -> np.ndarray:
    """Counts as the XHS app shows them: '873', '1.2万', '10万+'."""
    c = np.asarray(counts, dtype=np.int64)
    out = c.astype(str).astype(object)
    mid = (c >= 10_000) & (c < 100_000)
    whole = (c[mid] // 10_000).astype(str).astype(object)
    digit = (c[mid] // 1_000) % 10
    out[mid] = np.where(digit == 0, whole + "万", whole + "." + digit.astype(str).astype(object) + "万")
    out[c >= 100_000] = "10万+"
    return out


def with_duplicates(rng: np.random.Generator, n: int, rate: float) -> np.ndarray:
    """Row index with a share ``rate`` of rows repeated right after themselves (overlapping exports)."""
    rep = np.where(rng.random(n) < rate, 2, 1)
    return np.repeat(np.arange(n), rep)


_HEXB = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def random_bytes_hex(rng: np.random.Generator, n: int, nchars: int, prefix: str = "") -> pa.Array:
    """``n`` random hex strings as an Arrow string array (memory-light for tens of millions)."""
    codes = _HEXB[rng.integers(0, 16, size=(n, nchars), dtype=np.uint8)]
    if prefix:
        pre = np.broadcast_to(np.frombuffer(prefix.encode(), dtype=np.uint8), (n, len(prefix)))
        codes = np.concatenate([pre, codes], axis=1)
    width = codes.shape[1]
    flat = np.ascontiguousarray(codes).reshape(-1)
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32 if (n + 1) * width < 2**31 else np.int64)
    typ = pa.string() if offsets.dtype == np.int32 else pa.large_string()
    arr = pa.Array.from_buffers(typ, n, [None, pa.py_buffer(offsets), pa.py_buffer(flat)])
    return arr.cast(pa.string()) if typ != pa.string() else arr
