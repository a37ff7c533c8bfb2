"""Exact Markov removal effect: hand-computed chains, a brute-force reference, ChannelAttribution."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from kol_attr.attribution import BASELINE, markov, markov_removal_effects


def toy() -> pd.DataFrame:
    """(a,b): 1 conv / 1 null; (b): 1 / 3; (a): 0 / 2."""
    return pd.DataFrame(
        {
            "path": [["a", "b"], ["b"], ["a"]],
            "conversions": [1.0, 1.0, 0.0],
            "non_conversions": [1.0, 3.0, 2.0],
            "revenue": [10.0, 30.0, 0.0],
        }
    )


def test_order1_hand_computed() -> None:
    # start->a 1/2, start->b 1/2; a->b 1/2, a->null 1/2; b->conv 1/3, b->null 2/3
    # x_b = 1/3, x_a = 1/6, P = 1/4; without a: P = 1/6 -> RE_a = 1/3; without b: P = 0 -> RE_b = 1
    res = markov(toy()).set_index("channel")
    assert res.loc["a", "removal_effect"] == pytest.approx(1 / 3, abs=1e-12)
    assert res.loc["b", "removal_effect"] == pytest.approx(1.0, abs=1e-12)
    assert res.loc["a", "conversions"] == pytest.approx(0.5)
    assert res.loc["b", "conversions"] == pytest.approx(1.5)
    assert res.loc["a", "revenue"] == pytest.approx(10.0)
    assert res.loc["b", "revenue"] == pytest.approx(30.0)
    assert BASELINE not in res.index


def test_order2_hand_computed() -> None:
    # states (S,a), (S,b), (a,b): x(a,b) = 1/2, x(S,a) = 1/4, x(S,b) = 1/4, P = 1/4
    # without a: only (S,b) -> P = 1/8 -> RE_a = 1/2; without b: P = 0 -> RE_b = 1
    res = markov(toy(), order=2).set_index("channel")
    assert res.loc["a", "removal_effect"] == pytest.approx(0.5, abs=1e-12)
    assert res.loc["b", "removal_effect"] == pytest.approx(1.0, abs=1e-12)
    assert res.loc["a", "share"] == pytest.approx(1 / 3)


def test_per_path_shares() -> None:
    pp = markov(toy(), per_path=True)
    first = pp[pp["path_index"] == 0].set_index("channel")["share"]
    assert first["a"] == pytest.approx(0.25) and first["b"] == pytest.approx(0.75)
    assert pp.groupby("path_index")["share"].sum().to_numpy() == pytest.approx(np.ones(3))
    assert pp.loc[pp["path_index"] == 0, "conversions"].sum() == pytest.approx(1.0)


def brute_force_re(df: pd.DataFrame, order: int) -> dict[str, float]:
    """Independent reference: dict-counted chain, dense solve, removal by killing states with c."""
    counts: dict[tuple, dict[tuple, float]] = {}

    def add(a: tuple, b: tuple, wt: float) -> None:
        counts.setdefault(a, {})
        counts[a][b] = counts[a].get(b, 0.0) + wt

    start = ("(start)",)
    for p, y, n in zip(df["path"], df["conversions"], df["non_conversions"], strict=True):
        states = [tuple((["(start)"] * order + p[: i + 1])[-order:]) for i in range(len(p))]
        prev = start
        for s in states:
            add(prev, s, y + n)
            prev = s
        add(prev, ("(conversion)",), y)
        add(prev, ("(null)",), n)
    transient = sorted(counts, key=str)
    ix = {s: i for i, s in enumerate(transient)}

    def p_conv(removed: str | None) -> float:
        m = len(transient)
        A = np.eye(m)
        r = np.zeros(m)
        for s, outs in counts.items():
            tot = sum(outs.values())
            if removed is not None and removed in s:
                continue  # unreachable / killed
            for t, c in outs.items():
                if t == ("(conversion)",):
                    r[ix[s]] += c / tot
                elif t != ("(null)",) and not (removed is not None and removed in t):
                    A[ix[s], ix[t]] -= c / tot
        return float(np.linalg.solve(A, r)[ix[start]])

    P = p_conv(None)
    channels = {c for p in df["path"] for c in p}
    return {c: 1 - p_conv(c) / P for c in channels}


def random_paths(seed: int, n: int = 60, k: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    chans = [f"c{i}" for i in range(k)]
    paths = [list(rng.choice(chans, size=rng.integers(1, 6))) for _ in range(n)]
    return pd.DataFrame(
        {
            "path": paths,
            "conversions": rng.integers(0, 4, n) + rng.random(n).round(2),
            "non_conversions": rng.integers(0, 10, n).astype(float),
        }
    )


@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize("method", ["lu", "dense", "iterative"])
def test_matches_brute_force_with_loops_and_repeats(order: int, method: str) -> None:
    df = random_paths(seed=order)
    ref = brute_force_re(df, order)
    re, _ = markov_removal_effects(
        df["path"].tolist(), df["conversions"].to_numpy(), df["non_conversions"].to_numpy(), order, 3, method
    )
    for c, v in ref.items():
        assert re[c] == pytest.approx(v, abs=1e-10), c


def test_conservation_fractional_and_empty_paths() -> None:
    df = random_paths(seed=7)
    df = pd.concat(
        [df, pd.DataFrame({"path": [[]], "conversions": [2.5], "non_conversions": [40.0]})], ignore_index=True
    )
    df["revenue"] = df["conversions"] * 99.0
    for order in (1, 2):
        res = markov(df, order=order)
        assert res["conversions"].sum() == pytest.approx(df["conversions"].sum())
        assert res["revenue"].sum() == pytest.approx(df["revenue"].sum())
        assert res.set_index("channel").loc[BASELINE, "conversions"] == pytest.approx(2.5)
        pp = markov(df, order=order, per_path=True)
        assert pp["conversions"].sum() == pytest.approx(df["conversions"].sum())
        assert np.allclose(pp.groupby("path_index")["share"].sum(), 1.0)


def test_weird_channel_ids() -> None:
    weird = ["a>b", "  spaced  id ", "小红书KOL·🌸", "(start)", "x,y;z"]
    df = pd.DataFrame(
        {
            "path": [weird[:2], weird[2:4], [weird[4], weird[0]], [weird[3]]],
            "conversions": [1.0, 2.0, 0.5, 1.0],
            "non_conversions": [3.0, 1.0, 2.0, 5.0],
        }
    )
    res = markov(df)
    assert set(res["channel"]) == set(weird)
    assert res["conversions"].sum() == pytest.approx(4.5)
    # a channel literally named "(start)" is not confused with the start state
    ref = brute_force_re(df.assign(path=df["path"].map(lambda p: [f"#{c}" for c in p])), 1)
    got = res.set_index("channel")["removal_effect"]
    for c in weird:
        assert got[c] == pytest.approx(ref[f"#{c}"], abs=1e-10)


def test_min_support_and_unseen_channels_fall_back_to_linear() -> None:
    df = toy()
    df.loc[3] = [["z", "y"], 1.0, 0.0, 5.0]  # 1 person: below support 2, never estimated
    pp = markov(df, per_path=True, min_support=2).set_index(["path_index", "channel"])["share"]
    assert pp[(3, "z")] == pytest.approx(0.5) and pp[(3, "y")] == pytest.approx(0.5)
    res = markov(df, min_support=2)
    assert res["conversions"].sum() == pytest.approx(df["conversions"].sum())


def test_no_conversions() -> None:
    df = toy().assign(conversions=0.0)
    res = markov(df)
    assert (res["conversions"] == 0).all()
    assert res["removal_effect"].fillna(0).eq(0).all()


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="order"):
        markov(toy(), order=0)
    with pytest.raises(ValueError, match="method"):
        markov(toy(), method="simulate")
    with pytest.raises(ValueError, match="transform"):
        markov(toy(), transform="dedupe")


@pytest.mark.parametrize("order", [1, 2])
def test_agrees_with_channelattribution(order: int) -> None:
    ca = pytest.importorskip("ChannelAttribution")
    rng = np.random.default_rng(3)
    chans = [f"k{i}" for i in range(6)]
    lift = dict(zip(chans, [0.5, 0.3, 0.2, 0.1, 0.05, 0.0], strict=True))
    paths = {tuple(rng.choice(chans, size=rng.integers(1, 5))) for _ in range(600)}
    paths = sorted(paths)[:300]
    persons = rng.integers(5, 40, len(paths))
    p = np.array([min(0.9, 0.05 + sum(lift[c] for c in set(pth)) / 2) for pth in paths])
    conv = rng.binomial(persons, p)
    df = pd.DataFrame(
        {
            "path": [list(x) for x in paths],
            "conversions": conv.astype(float),
            "non_conversions": persons - conv,
        }
    )
    ours = markov(df, order=order).set_index("channel")
    ca_in = pd.DataFrame(
        {"path": df["path"].map(">".join), "conv": df["conversions"], "null": df["non_conversions"]}
    )
    res = ca.markov_model(
        ca_in,
        "path",
        "conv",
        var_null="null",
        order=order,
        max_step=100,
        nsim_start=1e6,
        out_more=True,
        verbose=False,
        flg_pro=False,
        seed=1,
    )
    ca_conv = res["result"].set_index("channel_name")["total_conversions"]
    ca_share = ca_conv / ca_conv.sum()
    gap = (ours["share"] - ca_share.reindex(ours.index)).abs()
    assert gap.max() < 0.01, gap


def test_all_orders_consistent_on_single_channel_paths() -> None:
    # with only single-touch paths every order gives the same chain
    df = pd.DataFrame({"path": [["a"], ["b"]], "conversions": [1.0, 3.0], "non_conversions": [1.0, 1.0]})
    shares = [markov(df, order=o).set_index("channel")["share"] for o in (1, 2)]
    for a, b in itertools.pairwise(shares):
        assert np.allclose(a.sort_index(), b.sort_index())
