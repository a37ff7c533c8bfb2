"""Survey recall matching judged against the simulator's ground truth on the demo build.

The demo seeds are the simulator's demo world, seed 42 (``make demo-seeds``); re-simulating it gives
``truth_survey_recalls``: for each response with a recall, the KOL whose handle the buyer misspelled.
On 2026-11-29 the demo scored 80 matched of 85 recalls, all 80 right (precision 1.000, recall 0.941;
68 matched, recall 0.800, before the transposition distance and the prefix bonus). The floors below
guard against a regression without pinning those figures.
"""

from __future__ import annotations

import duckdb

from kol_attr_sim.config import make_config
from kol_attr_sim.observe import observe
from kol_attr_sim.truth import survey_recalls
from kol_attr_sim.world import build_world

MIN_PRECISION = 0.97
MIN_RECALL = 0.90


def test_survey_matches_name_the_recalled_kol(demo_con: duckdb.DuckDBPyConnection) -> None:
    truth = survey_recalls(observe(build_world(make_config("demo", seed=42))))
    rows = demo_con.execute(
        "select response_id, kol_recall, matched_kol_id, is_kol_recall_matched"
        " from int_survey_responses_matched"
    ).df()
    with_recall = rows[rows["kol_recall"].notna()]
    assert sorted(with_recall["response_id"]) == sorted(truth["response_id"])
    joined = with_recall.merge(truth, on="response_id")
    matched = joined[joined["is_kol_recall_matched"]]
    correct = int((matched["matched_kol_id"] == matched["recalled_kol_id"]).sum())
    assert len(matched) > 0
    precision, recall = correct / len(matched), correct / len(joined)
    assert precision >= MIN_PRECISION, (precision, len(matched), correct)
    assert recall >= MIN_RECALL, (recall, len(joined), correct)
