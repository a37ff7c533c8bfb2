"""Survey recall matching (int_survey_responses_matched) against the simulator's ground truth.

The simulator knows which KOL each survey recall names: ``truth_survey_recalls`` (written with the
truth, ``--truth-out``) has, per response with a recall, ``recalled_kol_id`` (the KOL whose handle the
buyer misspelled) and ``is_cause_kol`` (that KOL caused the purchase; false for a wrong recall).

Figures, over the responses with a recall:

* **matched**: responses with ``is_kol_recall_matched``;
* **precision**: matched responses whose ``matched_kol_id`` is the recalled KOL / matched;
* **recall**: correctly matched responses / responses with a recall;
* **best candidate right**: responses whose best candidate (any score) is the recalled KOL.

Usage (a database built by ``dbt build`` with int_survey_responses_matched in schema ``main``)::

    .venv/bin/python bench/survey_matching.py --db kol_attr.duckdb --truth data/demo/truth [--misses]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb
import pandas as pd


def read_truth(truth: Path) -> pd.DataFrame:
    """truth_survey_recalls from a truth directory (Parquet or CSV)."""
    for ext in ("parquet", "csv"):
        path = truth / f"truth_survey_recalls.{ext}"
        if path.exists():
            return pd.read_parquet(path) if ext == "parquet" else pd.read_csv(path, dtype=str)
    raise FileNotFoundError(f"no truth_survey_recalls.parquet|csv in {truth}")


def survey_figures(db: Path, truth: Path, schema: str = "main") -> tuple[dict[str, float], pd.DataFrame]:
    """(figures, one row per response with a recall: truth joined to the model's match)."""
    t = read_truth(truth)
    t["is_cause_kol"] = t["is_cause_kol"].astype(str).str.lower() == "true"
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.register("truth", t)
        rows = con.sql(
            f"""
            select
                truth.response_id, truth.recalled_kol_id, truth.is_cause_kol,
                m.kol_recall, m.recall_normalised, m.best_candidate_handle, m.best_candidate_kol_id,
                m.matched_kol_id, m.match_method, m.best_match_score, m.match_confidence,
                coalesce(m.is_kol_recall_matched, false) as is_matched
            from truth
            left join {schema}.int_survey_responses_matched as m on truth.response_id = m.response_id
            order by truth.response_id
            """
        ).df()
    finally:
        con.close()
    n = len(rows)
    matched = int(rows["is_matched"].sum())
    correct = int((rows["is_matched"] & (rows["matched_kol_id"] == rows["recalled_kol_id"])).sum())
    best_right = int((rows["best_candidate_kol_id"] == rows["recalled_kol_id"]).sum())
    figures = {
        "recalls": n,
        "matched": matched,
        "correct": correct,
        "precision": correct / matched if matched else float("nan"),
        "recall": correct / n if n else float("nan"),
        "best_candidate_right": best_right,
    }
    return figures, rows


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--truth", type=Path, required=True, help="directory with truth_survey_recalls")
    p.add_argument("--schema", default="main")
    p.add_argument("--misses", action="store_true", help="list the recalls not matched to the right KOL")
    a = p.parse_args()
    figures, rows = survey_figures(a.db, a.truth, a.schema)
    print(
        f"recalls {figures['recalls']}  matched {figures['matched']}  correct {figures['correct']}  "
        f"precision {figures['precision']:.3f}  recall {figures['recall']:.3f}  "
        f"best candidate right {figures['best_candidate_right']}"
    )
    if a.misses:
        wrong = rows[~(rows["is_matched"] & (rows["matched_kol_id"] == rows["recalled_kol_id"]))]
        with pd.option_context("display.width", 200, "display.max_rows", None, "display.max_columns", None):
            print(
                wrong[
                    [
                        "recall_normalised",
                        "best_candidate_handle",
                        "match_method",
                        "best_match_score",
                        "match_confidence",
                        "is_matched",
                        "is_cause_kol",
                    ]
                ].assign(best_right=wrong["best_candidate_kol_id"] == wrong["recalled_kol_id"])
            )


if __name__ == "__main__":
    main()
