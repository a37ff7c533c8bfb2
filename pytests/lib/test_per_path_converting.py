"""per_path='converting' gives exactly the per-path shares of per_path=True on converting rows only."""

from __future__ import annotations

import pandas as pd
import pytest

from kol_attr.attribution import counterfactual, markov, shapley

PATHS = pd.DataFrame(
    {
        "path": [["a"], ["a", "b"], ["b"], ["b", "c", "b"], ["c"], [], ["a", "c"], ["d"]],
        "conversions": [3.0, 2.0, 0.0, 1.5, 0.0, 4.0, 0.0, 1.0],
        "non_conversions": [10.0, 5.0, 8.0, 2.0, 9.0, 40.0, 3.0, 0.0],
    },
    index=[10, 11, 12, 13, 14, 15, 16, 17],
)

MODELS = {
    "markov": lambda d, pp: markov(d, per_path=pp),
    "counterfactual": lambda d, pp: counterfactual(d, per_path=pp),
    "shapley": lambda d, pp: shapley(d, per_path=pp, l2=1.0),
}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_converting_rows_only(name: str) -> None:
    run = MODELS[name]
    everything = run(PATHS, True)
    converting = run(PATHS, "converting")
    expected = everything[everything["path_index"].isin(PATHS.index[PATHS["conversions"] > 0])]
    assert set(converting["path_index"]) == {10, 11, 13, 15, 17}
    pd.testing.assert_frame_equal(
        converting.sort_values(["path_index", "channel"]).reset_index(drop=True),
        expected.sort_values(["path_index", "channel"]).reset_index(drop=True),
    )


def test_bad_per_path_value_is_refused() -> None:
    with pytest.raises(ValueError, match="per_path"):
        markov(PATHS, per_path="some")
