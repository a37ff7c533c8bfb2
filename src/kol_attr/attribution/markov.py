"""Exact Markov-chain removal-effect attribution (Anderl, Becker, von Wangenheim & Schumann 2016).

Model
-----
Every path ``c1 > c2 > ... > cn`` of a row with ``conversions`` = y and ``non_conversions`` = m
contributes ``w = y + m`` to each transition ``(start) -> s1 -> s2 -> ... -> sn`` and ``y`` to
``sn -> (conversion)``, ``m`` to ``sn -> (null)``, where for order ``k`` the state ``st`` is the
tuple of the last ``k`` channels up to position ``t`` (padded with ``(start)`` at the
beginning). An empty path contributes ``(start) -> (conversion)`` / ``(null)`` directly.
Transition probabilities are the counts divided by the state's total out-count (maximum
likelihood), as in ChannelAttribution's ``markov_model``.

Let ``Q`` be the transient-to-transient transition matrix (``(start)`` plus all states), ``r``
the one-step probability of ``(conversion)``, ``A = I - Q`` and ``G = A^{-1}`` the
fundamental matrix (Kemeny & Snell). The absorption probabilities ``x = G r`` solve
``A x = r`` and the conversion probability of the chain is ``P = x[start]``.

Removal effect of channel ``c`` (Anderl et al. 2016, eq. for RE): ``RE_c = 1 - P_{-c} / P`` where
``P_{-c}`` is the conversion probability when every transition into a state containing ``c``
goes to ``(null)`` instead.

Exact computation with one factorisation
----------------------------------------
Only states whose *last* element is ``c`` (set ``E_c``) can be entered from a state without
``c``; every other state containing ``c`` is reached only through ``E_c``. So removing ``c`` is
the same as making the states ``E_c`` absorbing in ``(null)``: rows ``E_c`` of ``A`` become unit
rows and ``r[E_c] = 0``, a rank-``|E_c|`` update ``A' = A + U V^T`` with ``U = I[:, E_c]``,
``V^T = Q[E_c, :]``. Woodbury's identity, together with ``Q G = G - I`` and ``Q x = x - r``,
reduces ``P_{-c} = e_s^T A'^{-1} r'`` to

    P - P_{-c} = g[E_c]^T  G[E_c, E_c]^{-1}  x[E_c],     g = G^T e_s  (row ``start`` of G),

so ``RE_c = g_E^T G_EE^{-1} x_E / P``. For order 1, ``E_c = {c}`` and this is the first-passage
formula ``RE_c = P(hit c) x_c / P`` with ``P(hit c) = G[s, c] / G[c, c]``.

One sparse LU factorisation of ``A`` (``scipy.sparse.linalg.splu``) gives ``x`` (one solve),
``g`` (one solve with the transposed system) and the diagonal blocks ``G[E_c, E_c]`` (solves
with the unit columns of all states, in batches; each state belongs to exactly one ``E_c``).
Cost: one factorisation plus ``#states + 2`` triangular solve pairs; for order 1 that is
``#channels + 2``. No random walks are simulated, so the result is exact (ChannelAttribution
estimates the same quantities by simulation, and with its default ``max_step`` truncates walks
at the longest observed path, which biases its removal effects slightly downwards).

Methods (``method=``): ``'lu'`` is the above with ``splu`` (default for order 1 up to 500
channels and above 5,000; in between the dense LU is faster);
``'dense'`` the same identity with a dense LU (all columns of ``G`` in one call; used for
higher-order chains up to 1,000 states); ``'iterative'`` is value iteration
``X <- K * (r 1^T + Q X)`` run for the full chain and every removal at once (``K`` zeroes the
rows ``E_c`` in column ``c``), converging monotonically to the same absorption probabilities
(stopped when the largest change is below ``tol`` = 1e-14). It is the default for larger
higher-order chains: their transition graphs are close to random, so sparse LU fill-in is
nearly dense (measured: 27,061 order-2 states from 100,000 paths over 200 channels gave 39
million LU non-zeros and a 150 s factorisation, against 32-49 s for the whole iterative run).
The three methods agree to ~1e-12 on the test data.

Credit
------
Channel totals follow Anderl et al. / ChannelAttribution: the conversions (revenue) of all
non-empty paths are shared in proportion to the removal effects,
``credit_c = sum_paths y * RE_c / sum_d RE_d``. Conversions on empty paths are credited to
``(baseline)``. The removal-effect normalisation has no non-incremental share on non-empty
paths: every conversion of a person with a touch is given to channels, so the Markov model
over-credits KOLs when many exposed persons would have bought anyway (only the Shapley and,
with a base rate, the counterfactual model keep such a share apart).

Per-path shares (``per_path=True``), needed to split a single conversion among the KOLs on its
own path: ``share_{p,c} = RE_c / sum_{d in distinct(p)} RE_d`` over the distinct channels of the
path. Fallbacks: if that sum is 0 (channels never seen in estimation, or no conversions),
linear over the distinct channels; an empty path gives ``(baseline)`` share 1. The sums of
per-path credit over paths generally differ from the channel totals (the global normalisation
pools all paths); both are reported, the dbt models use the per-path shares.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.linalg import lu_factor, lu_solve
from scipy.sparse.linalg import splu

from ._common import (
    BASELINE,
    build_per_path,
    distinct_in_order,
    empty_per_path,
    empty_totals,
    encode_paths,
    has_revenue,
    per_path_rows,
    validate_paths,
)
from .transforms import transform_path

__all__ = ["markov", "markov_removal_effects"]


def _states(
    codes: np.ndarray, rows: np.ndarray, lengths: np.ndarray, order: int
) -> tuple[np.ndarray, np.ndarray]:
    """State id (0-based among non-start states) of every token, and the last channel of each state."""
    ntok = len(codes)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if len(lengths) else np.zeros(0, np.int64)
    pos = np.arange(ntok, dtype=np.int64) - starts[rows]
    tuples = np.full((ntok, order), -1, dtype=np.int64)
    for j in range(order):
        lag = order - 1 - j
        ok = pos >= lag
        idx = np.arange(ntok, dtype=np.int64)[ok] - lag
        tuples[ok, j] = codes[idx]
    if order == 1:
        uniq, inv = np.unique(tuples[:, 0], return_inverse=True)
        return inv.astype(np.int64), uniq
    uniq, inv = np.unique(tuples, axis=0, return_inverse=True)
    return inv.reshape(-1).astype(np.int64), uniq[:, -1]


DENSE_MAX_STATES = 1000
"""Higher-order chains with at most this many transient states are solved with a dense LU."""

SPARSE_MAX_SMALL = 500
DENSE_MAX_STATES_ORDER1 = 5000
"""Order-1 chains with 501..5000 states use the dense LU (measured on 50,000 paths over 2,000
channels: dense 2.2 s, sparse LU 14 s, iterative 34 s); smaller and larger ones the sparse LU."""


def _choose_method(method: str, m: int, order: int) -> str:
    if method not in ("auto", "lu", "dense", "iterative"):
        raise ValueError(f"method={method!r}; allowed: 'auto', 'lu', 'dense', 'iterative'")
    if method != "auto":
        return method
    if order == 1:
        return "dense" if SPARSE_MAX_SMALL < m <= DENSE_MAX_STATES_ORDER1 else "lu"
    return "dense" if m <= DENSE_MAX_STATES else "iterative"


def _removal_woodbury(
    solve: Callable[..., np.ndarray],
    r: np.ndarray,
    last_channel: np.ndarray,
    n_channels: int,
    batch_columns: int,
) -> tuple[np.ndarray, float]:
    """Removal effects from one factorisation: ``RE_c = g_E^T G_EE^{-1} x_E / P`` (module docstring)."""
    m = len(r)
    x = solve(r)
    e_s = np.zeros(m)
    e_s[0] = 1.0
    g = solve(e_s, True)
    P = float(x[0])
    re = np.zeros(n_channels)
    if P <= 0:
        return re, max(P, 0.0)
    # group states (indices 1..m-1) by their last channel; solve unit columns in batches
    state_idx = np.arange(1, m)
    order_idx = np.argsort(last_channel, kind="stable")
    sorted_states = state_idx[order_idx]
    sorted_ch = last_channel[order_idx]
    bounds = np.flatnonzero(np.diff(sorted_ch)) + 1
    groups = np.split(sorted_states, bounds)
    group_ch = [int(sorted_ch[b]) for b in np.concatenate([[0], bounds])]
    batch: list[tuple[int, np.ndarray]] = []
    batch_size = 0

    def flush() -> None:
        cols = np.concatenate([e for _, e in batch])
        rhs = np.zeros((m, len(cols)))
        rhs[cols, np.arange(len(cols))] = 1.0
        Y = solve(rhs)
        off = 0
        for ch, E in batch:
            block = Y[E, off : off + len(E)]
            off += len(E)
            gE = g[E]
            if np.any(gE > 0):
                re[ch] = float(gE @ np.linalg.solve(block, x[E])) / P

    for ch, E in zip(group_ch, groups, strict=True):
        if batch and batch_size + len(E) > batch_columns:
            flush()
            batch, batch_size = [], 0
        batch.append((ch, E))
        batch_size += len(E)
    if batch:
        flush()
    return re, P


def _removal_iterative(
    Q: sp.spmatrix, r: np.ndarray, last_channel: np.ndarray, n_channels: int, tol: float, max_iter: int
) -> tuple[np.ndarray, float]:
    """Value iteration ``X <- K * (r 1^T + Q X)`` for the full chain and every removal at once.

    Column 0 is the full chain, column ``c + 1`` the chain where states ``E_c`` are killed
    (mask ``K`` is 0 on ``E_c``). Iterates increase monotonically to the absorption
    probabilities; stops when the largest change is below ``tol``.
    """
    m = len(r)
    keep = np.ones((m, n_channels + 1))
    keep[1 + np.arange(m - 1), 1 + last_channel] = 0.0
    Qc = sp.csr_matrix(Q)
    X = keep * r[:, None]
    for _ in range(max_iter):
        X_new = keep * (r[:, None] + Qc @ X)
        delta = float(np.abs(X_new - X).max())
        X = X_new
        if delta < tol:
            break
    else:
        warnings.warn(
            f"markov value iteration stopped after {max_iter} steps (change {delta:.2e})", stacklevel=3
        )
    P = float(X[0, 0])
    if P <= 0:
        return np.zeros(n_channels), max(P, 0.0)
    return 1.0 - X[0, 1:] / P, P


def markov_removal_effects(
    path_lists: list[list[str]],
    conversions: np.ndarray,
    non_conversions: np.ndarray,
    order: int = 1,
    batch_columns: int = 512,
    method: str = "auto",
    tol: float = 1e-14,
    max_iter: int = 100_000,
) -> tuple[dict[str, float], float]:
    """Exact removal effects ``RE_c = 1 - P_{-c}/P`` of every channel (see module docstring).

    Args:
        path_lists: paths (lists of channel ids), one per row.
        conversions, non_conversions: per-row counts (fractional allowed).
        order: Markov order k >= 1 (states are k-tuples of channels).
        batch_columns: unit columns solved per batch when building the blocks ``G[E_c, E_c]``.
        method: ``'lu'`` (one sparse LU, Woodbury blocks), ``'dense'`` (the same identity with a
            dense LU), ``'iterative'`` (value iteration, for large higher-order chains where LU
            fill-in explodes) or ``'auto'``: for order 1 ``'lu'``, except ``'dense'`` for 501 to
            5,000 states where the many unit-column solves are faster in dense BLAS; for higher
            orders ``'dense'`` up to :data:`DENSE_MAX_STATES` states, else ``'iterative'``.
        tol, max_iter: stopping rule of ``'iterative'`` (max absolute change of an iterate).

    Returns:
        ``(removal_effects, P)``: dict channel -> RE_c, and the chain's conversion probability.
    """
    if order < 1:
        raise ValueError(f"order must be >= 1, got {order}")
    conv = np.asarray(conversions, dtype=float)
    null = np.asarray(non_conversions, dtype=float)
    w = conv + null
    keep = w > 0
    kept_paths = [p for p, k in zip(path_lists, keep, strict=True) if k]
    conv, null, w = conv[keep], null[keep], w[keep]
    if not kept_paths:
        return {}, 0.0
    codes, rows, lengths, channels = encode_paths(kept_paths)
    nonempty = lengths > 0
    if len(codes) == 0:
        return {}, float(conv.sum() / w.sum())
    state_of_tok, last_channel = _states(codes, rows, lengths, order)
    m = len(last_channel) + 1  # + (start) at index 0
    tok_state = state_of_tok + 1
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    ends = starts + lengths - 1
    ne_rows = np.flatnonzero(nonempty)
    first_state = tok_state[starts[ne_rows]]
    last_state = tok_state[ends[ne_rows]]
    same_row = rows[1:] == rows[:-1]
    src = np.concatenate([np.zeros(len(ne_rows), np.int64), tok_state[:-1][same_row]])
    dst = np.concatenate([first_state, tok_state[1:][same_row]])
    wt = np.concatenate([w[ne_rows], w[rows[1:][same_row]]])
    counts = sp.coo_matrix((wt, (src, dst)), shape=(m, m)).tocsr()
    counts.sum_duplicates()
    conv_cnt = np.bincount(last_state, weights=conv[ne_rows], minlength=m)
    null_cnt = np.bincount(last_state, weights=null[ne_rows], minlength=m)
    empty_rows = ~nonempty
    conv_cnt[0] += conv[empty_rows].sum()
    null_cnt[0] += null[empty_rows].sum()
    out = np.asarray(counts.sum(axis=1)).ravel() + conv_cnt + null_cnt
    inv_out = np.divide(1.0, out, out=np.zeros_like(out), where=out > 0)
    Q = sp.diags(inv_out) @ counts
    r = conv_cnt * inv_out
    method = _choose_method(method, m, order)
    if method == "iterative":
        re, P = _removal_iterative(Q, r, last_channel, len(channels), tol, max_iter)
    else:
        A = (sp.identity(m, format="csc") - Q.tocsc()).tocsc()
        if method == "dense":
            lu_d = lu_factor(A.toarray())

            def solve(b: np.ndarray, trans: bool = False) -> np.ndarray:
                return lu_solve(lu_d, b, trans=1 if trans else 0)

            batch_columns = m
        else:
            lu = splu(A)

            def solve(b: np.ndarray, trans: bool = False) -> np.ndarray:
                return lu.solve(b, trans="T" if trans else "N")

        re, P = _removal_woodbury(solve, r, last_channel, len(channels), batch_columns)
    re = np.clip(re, 0.0, 1.0)
    return dict(zip(channels, re.tolist(), strict=True)), P


def markov(
    paths: pd.DataFrame,
    order: int = 1,
    *,
    per_path: bool | str = False,
    transform: str | None = None,
    min_support: float = 0.0,
    batch_columns: int = 512,
    method: str = "auto",
) -> pd.DataFrame:
    """Markov removal-effect attribution, exact (see module docstring for formulas).

    Args:
        paths: path summary with ``path`` (list of channel id strings), ``conversions``,
            ``non_conversions`` and optional ``revenue``.
        order: 1 or higher; states are tuples of the last ``order`` channels.
        per_path: return per-path shares instead of channel totals (``'converting'``: only for
            rows with conversions > 0, all a caller splitting conversions needs; faster).
        transform: path transform applied first (``None`` keeps paths as given; see
            :mod:`kol_attr.attribution.transforms`).
        min_support: rows with ``conversions + non_conversions`` below this are left out of the
            chain estimate. Their conversions are still credited: per path by the per-path rule,
            in the channel totals with all other non-empty-path conversions by the global shares.
        batch_columns: memory/speed trade-off of the removal solves.
        method: linear-algebra method, see :func:`markov_removal_effects` (default ``'auto'``).

    Returns:
        ``per_path=False``: one row per channel: ``channel``, ``conversions``, ``revenue`` (if
        given), ``removal_effect`` (raw RE_c), ``share`` (RE_c / sum RE); a ``(baseline)`` row
        holds conversions on empty paths (NaN removal effect).
        ``per_path=True``: rows ``path_index`` (input index label), ``channel``, ``share``,
        ``conversions``, ``revenue``; shares sum to 1 per input row.
    """
    df = validate_paths(paths)
    revenue = has_revenue(df)
    if len(df) == 0:
        return empty_per_path(revenue) if per_path else empty_totals(revenue, ["removal_effect", "share"])
    tpaths = (
        df["path"].tolist() if transform is None else [transform_path(p, transform)[0] for p in df["path"]]
    )
    conv = df["conversions"].to_numpy()
    null = df["non_conversions"].to_numpy()
    est = (conv + null) >= min_support
    re, _ = markov_removal_effects(
        [p for p, e in zip(tpaths, est, strict=True) if e], conv[est], null[est], order, batch_columns, method
    )
    if per_path:
        return _per_path(df, tpaths, re, per_path_rows(df, per_path))
    nonempty = np.fromiter(map(len, tpaths), dtype=np.int64, count=len(tpaths)) > 0
    seen = list(dict.fromkeys(itertools.chain.from_iterable(tpaths)))
    re_arr = np.array([re.get(c, 0.0) for c in seen])
    total_re = re_arr.sum()
    if total_re > 0:
        share = re_arr / total_re
        result = pd.DataFrame(
            {"channel": pd.Series(seen, dtype=object), "conversions": share * conv[nonempty].sum()}
        )
        if revenue:
            result["revenue"] = share * df["revenue"].to_numpy()[nonempty].sum()
        result["removal_effect"] = re_arr
        result["share"] = share
    else:  # no removal effect anywhere: fall back to the per-path rule (linear)
        pp = _per_path(df, tpaths, re, np.arange(len(df)))
        pp = pp[pp["channel"] != BASELINE]
        cols = ["conversions"] + (["revenue"] if revenue else [])
        result = pp.groupby("channel", sort=False)[cols].sum().reindex(seen, fill_value=0.0)
        result = result.rename_axis("channel").reset_index()
        result["removal_effect"] = 0.0
        tot = result["conversions"].sum()
        result["share"] = result["conversions"] / tot if tot > 0 else 0.0
    base_conv = conv[~nonempty].sum()
    if (~nonempty).any():
        base = {"channel": [BASELINE], "conversions": [base_conv]}
        if revenue:
            base["revenue"] = [df["revenue"].to_numpy()[~nonempty].sum()]
        base["removal_effect"] = [np.nan]
        base["share"] = [np.nan]
        result = pd.concat([result, pd.DataFrame(base)], ignore_index=True)
    return result


def _per_path(
    df: pd.DataFrame, tpaths: list[list[str]], re: dict[str, float], rows: np.ndarray
) -> pd.DataFrame:
    """Per-path shares RE_c / sum over the path's distinct channels (linear / baseline fallbacks)."""
    pos: list[int] = []
    chans: list[str] = []
    shares: list[float] = []
    for i in rows.tolist():
        d = distinct_in_order(tpaths[i])
        if not d:
            pos.append(i)
            chans.append(BASELINE)
            shares.append(1.0)
            continue
        vals = np.array([re.get(c, 0.0) for c in d])
        s = vals.sum()
        sh = vals / s if s > 0 else np.full(len(d), 1.0 / len(d))
        pos.extend([i] * len(d))
        chans.extend(d)
        shares.extend(sh.tolist())
    return build_per_path(df, np.array(pos, dtype=np.int64), chans, np.array(shares))
