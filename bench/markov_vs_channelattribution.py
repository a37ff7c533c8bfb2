"""Benchmark: exact Markov removal effect (kol_attr) vs ChannelAttribution's simulated ``markov_model``.

Generates a deterministic path summary of ``--paths`` distinct paths over ``--channels``
channels (seeded), runs ``kol_attr.attribution.markov(order=1)`` and
``ChannelAttribution.markov_model(order=1)`` on the same input and prints both wall times,
their ratio and the largest absolute gap between the two credit shares (share of total
conversions credited to a channel).

Run: ``.venv/bin/python bench/markov_vs_channelattribution.py`` (needs
``channelattribution`` and ``matplotlib``; see requirements.txt).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from kol_attr.attribution import markov


def make_paths(n_paths: int, n_channels: int, seed: int) -> pd.DataFrame:
    """Distinct random paths with integer conversion / non-conversion counts.

    Channel popularity ~ Zipf(1.1) over ``n_channels``; path length 1 + Geometric(0.3) capped
    at 12; each channel has a lift drawn from Gamma(2, 0.5); persons per path 1 + Poisson(20);
    conversion probability 1 - exp(-0.01 - 0.01 * sum of lifts). Duplicated paths are
    removed until ``n_paths`` distinct ones remain.
    """
    rng = np.random.default_rng(seed)
    names = np.array([f"kol_{i:03d}" for i in range(n_channels)], dtype=object)
    pop = 1.0 / np.arange(1, n_channels + 1) ** 1.1
    pop /= pop.sum()
    lift = rng.gamma(2.0, 0.5, n_channels)
    seen: dict[tuple[int, ...], None] = {}
    while len(seen) < n_paths:
        lens = np.minimum(1 + rng.geometric(0.3, 2 * n_paths), 12)
        toks = rng.choice(n_channels, size=int(lens.sum()), p=pop)
        cuts = np.cumsum(lens)[:-1]
        for p in np.split(toks, cuts):
            seen.setdefault(tuple(p.tolist()), None)
            if len(seen) >= n_paths:
                break
    paths = list(seen)
    persons = 1 + rng.poisson(20, len(paths))
    p_conv = np.array([1 - np.exp(-0.01 - 0.01 * lift[list(set(p))].sum()) for p in paths])
    conv = rng.binomial(persons, p_conv)
    return pd.DataFrame(
        {
            "path": [list(names[list(p)]) for p in paths],
            "conversions": conv.astype(float),
            "non_conversions": (persons - conv).astype(float),
        }
    )


def main() -> None:
    """Run both implementations and print timings and agreement."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", type=int, default=100_000)
    ap.add_argument("--channels", type=int, default=200)
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--skip-ca", action="store_true", help="only time kol_attr")
    ap.add_argument(
        "--ca-default-only", action="store_true", help="skip the max_step=100 ChannelAttribution run"
    )
    ap.add_argument("--ca-max-step", type=int, default=100)
    ap.add_argument(
        "--other-models", action="store_true", help="also time per-path Markov, Shapley, counterfactual"
    )
    ap.add_argument("--order2", action="store_true", help="with --other-models: also time Markov order 2")
    args = ap.parse_args()

    df = make_paths(args.paths, args.channels, args.seed)
    n_touch = int(df["path"].map(len).sum())
    print(
        f"input: {len(df)} distinct paths, {df['path'].explode().nunique()} channels, {n_touch} touches, "
        f"{df['conversions'].sum():.0f} conversions, {df['non_conversions'].sum():.0f} non-conversions"
    )

    t0 = time.perf_counter()
    ours = markov(df, order=1)
    t_ours = time.perf_counter() - t0
    print(f"kol_attr.markov (exact, order 1): {t_ours:.2f} s")
    if args.other_models:
        from kol_attr.attribution import counterfactual, shapley  # noqa: PLC0415

        runs = [
            ("markov per_path", lambda: markov(df, per_path=True)),
            ("shapley", lambda: shapley(df)),
            ("counterfactual", lambda: counterfactual(df)),
        ]
        if args.order2:
            runs.append(("markov order 2", lambda: markov(df, order=2)))
        for name, fn in runs:
            t0 = time.perf_counter()
            fn()
            print(f"kol_attr {name}: {time.perf_counter() - t0:.2f} s (same input)")
    if args.skip_ca:
        return

    for label, kw in [("defaults", {}), ("max_step=100", {"max_step": args.ca_max_step})]:
        r = compare_with_channelattribution(df, ours, **kw)
        print(
            f"ChannelAttribution.markov_model ({label}): {r['ca_seconds']:.2f} s; "
            f"speed-up of exact: {r['ca_seconds'] / t_ours:.1f}x"
        )
        print(
            f"  max |credit share gap| {r['max_share_gap']:.5f} (channel {r['max_gap_channel']}, our share "
            f"{r['our_share_at_max_gap']:.4f}), mean {r['mean_share_gap']:.5f}"
        )
        print(
            f"  removal effect gap (CA - exact): max |.| {r['max_removal_effect_gap']:.5f}, "
            f"mean {r['mean_removal_effect_gap']:+.5f}"
        )
        if args.ca_default_only:
            break


def compare_with_channelattribution(
    df: pd.DataFrame, ours: pd.DataFrame, max_step: int | None = None
) -> dict[str, float | str]:
    """Run ChannelAttribution's ``markov_model`` (order 1) on the path summary ``df`` and compare it
    with ``ours`` (the output of ``kol_attr.attribution.markov(df, order=1)``): CA's wall time and the
    gaps in credit shares and removal effects. ``max_step=None`` runs CA with its defaults (walks
    truncated at the longest path); ``max_step=100`` makes truncation negligible."""
    import ChannelAttribution as ca  # noqa: PLC0415 - optional dependency

    ca_in = pd.DataFrame(
        {
            "path": df["path"].map(">".join),
            "conversions": df["conversions"],
            "non_conversions": df["non_conversions"],
        }
    )
    our_share = ours.set_index("channel")["share"].drop("(baseline)", errors="ignore")
    our_re = ours.set_index("channel")["removal_effect"].reindex(our_share.index)
    kw = {} if max_step is None else {"max_step": max_step}
    t0 = time.perf_counter()
    res = ca.markov_model(
        ca_in,
        "path",
        "conversions",
        var_null="non_conversions",
        order=1,
        out_more=True,
        verbose=False,
        flg_pro=False,
        **kw,
    )
    t_ca = time.perf_counter() - t0
    ca_res = res["result"].set_index("channel_name")["total_conversions"]
    ca_share = (ca_res / ca_res.sum()).reindex(our_share.index).fillna(0.0)
    re_tab = res["removal_effects"].set_index("channel_name")
    re_col = [c for c in re_tab.columns if not c.endswith("_value")][0]
    re_gap = re_tab[re_col].reindex(our_share.index) - our_re
    gap = (our_share - ca_share).abs()
    return {
        "ca_seconds": t_ca,
        "max_share_gap": float(gap.max()),
        "mean_share_gap": float(gap.mean()),
        "max_gap_channel": str(gap.idxmax()),
        "our_share_at_max_gap": float(our_share[gap.idxmax()]),
        "max_removal_effect_gap": float(re_gap.abs().max()),
        "mean_removal_effect_gap": float(re_gap.mean()),
    }


if __name__ == "__main__":
    main()
