"""Incremental builds equal a full refresh (issue 7), proved by replaying the demo day by day.

The replay var ``kol_attr__replay_as_of`` hides every raw row that had not arrived at that instant
(macros/incremental/replay.sql). Two databases are built from the demo seeds:

* ``full``: one full build of ``+int_credits_rule_based`` (touches, conversions, the attribution
  paths and the rule-based credits) at ``D_END`` (after the last demo event, so every row is visible);
* ``replay``: a full build at ``D0 = D_END - REPLAY_DAYS``, then one incremental run per day
  ``D0 + 1 .. D_END`` (the last ``REPLAY_DAYS`` = 10 days one by one; the look-back stays the default
  3 days).

fct_touchpoints, fct_conversions, the incremental intermediate tables, int_conversion_paths and the
rule-based credits (int_credits_rule_based, a view over it: every scheme x window credit column) must
then hold exactly the same rows, compared with EXCEPT ALL both ways on all columns (credits as
stored doubles, no tolerance). The data-driven credit models (markov, shapley, counterfactual) are not
replayed: they are full tables refitted on the whole path table when they run (DECISIONLOG
"Incremental credits"), so their input is what this test compares. The demo's identity links keep merging
persons during those ten days, so the replay also proves that rows older than the look-back whose
person changed are rebuilt; the test also checks that paths of conversions older than the look-back
were recomputed during the replay (a person merge reached them). Finally, runs with a changed
identity-rounds var or a changed attribution window list must stop with the config-fingerprint error
instead of mixing rows.

dbt runs in process and parses once (``dbtRunner(manifest=...)``): the replay var is only read when
models compile, so the parsed project is the same for every day. The module took 99 s on 2026-11-29
(parse, two seed loads, 12 runs; 219 s when the 2 cores were shared with other builds).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from dbt.cli.main import dbtRunner, dbtRunnerResult

REPO = Path(__file__).resolve().parents[2]
D_END = dt.datetime(2026, 6, 28)  # the demo's last event is on 2026-06-27
REPLAY_DAYS = 10
SELECT = ["+int_credits_rule_based"]
COMPARED = [
    "fct_touchpoints",
    "fct_conversions",
    "int_touchpoints_unioned",
    "int_touchpoints_note_interactions",
    "int_touchpoints_tracking_codes",
    "int_touchpoints_note_cards",
    "int_persons_resolved",
    "stg_xhs__note_interactions",
    "int_conversion_paths",
    "int_credits_rule_based",
]


# path rows of conversions older than the look-back of the first replayed day (their person, touch, rank)
OLD_PATHS = (
    "select conversion_id, touchpoint_id, person_id, recency_rank, path_length from int_conversion_paths"
    " where converted_at < ?"
)


class Dbt:
    """dbt in process against one DuckDB file, reusing one parsed manifest."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.runner: dbtRunner | None = None

    def invoke(self, db: Path, args: list[str], as_of: dt.datetime, extra_vars: str = "") -> dbtRunnerResult:
        os.environ.update(
            {
                "DBT_PROFILES_DIR": str(REPO / "profiles"),
                "KOL_ATTR_DB": str(db),
                "DBT_TARGET_PATH": str(self.work / "target"),
                "DBT_LOG_PATH": str(self.work / "logs"),
            }
        )
        vars_yaml = f"{{kol_attr__replay_as_of: '{as_of:%Y-%m-%d %H:%M:%S}'{extra_vars}}}"
        base = ["--project-dir", str(REPO), "--vars", vars_yaml, "--quiet"]
        if self.runner is None:
            parsed = dbtRunner().invoke(["parse", *base])
            assert parsed.success, parsed.exception
            self.runner = dbtRunner(manifest=parsed.result)
        return self.runner.invoke([*args, *base])

    def ok(self, db: Path, args: list[str], as_of: dt.datetime) -> None:
        result = self.invoke(db, args, as_of)
        assert result.success, f"dbt {' '.join(args)} at {as_of} failed: {result.exception}"


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, Dbt, dict[str, int]]]:
    work = tmp_path_factory.mktemp("incremental_replay")
    saved = dict(os.environ)
    dbt = Dbt(work)
    # one file name in two folders: the parsed manifest names the database after the file
    full, replay = work / "full" / "kol_attr.duckdb", work / "replay" / "kol_attr.duckdb"
    full.parent.mkdir()
    replay.parent.mkdir()
    d0 = D_END - dt.timedelta(days=REPLAY_DAYS)
    try:
        for db in (full, replay):
            dbt.ok(db, ["seed"], D_END)
        dbt.ok(full, ["run", "--select", *SELECT], D_END)
        dbt.ok(replay, ["run", "--select", *SELECT], d0)
        with duckdb.connect(str(replay)) as con:
            persons_at_d0 = {
                row[0] for row in con.execute("select distinct person_id from fct_touchpoints").fetchall()
            }
            rows_at_d0 = con.execute("select count(*) from fct_touchpoints").fetchone()[0]
            old_paths_at_d0 = con.execute(OLD_PATHS, [d0 - dt.timedelta(days=3)]).fetchall()
        for day in range(1, REPLAY_DAYS + 1):
            dbt.ok(replay, ["run", "--select", *SELECT], d0 + dt.timedelta(days=day))
        with duckdb.connect(str(full)) as con:
            persons_at_end = {
                row[0] for row in con.execute("select distinct person_id from fct_touchpoints").fetchall()
            }
            cutoff = d0 - dt.timedelta(days=3)
            old_rows_merged = con.execute(
                "select count(*) from fct_touchpoints where touched_at < ? and person_id not in"
                " (select unnest(?::varchar[]))",
                [cutoff, sorted(persons_at_d0)],
            ).fetchone()[0]
            rows_at_end = con.execute("select count(*) from fct_touchpoints").fetchone()[0]
        with duckdb.connect(str(replay)) as con:
            old_paths_at_end = con.execute(OLD_PATHS, [d0 - dt.timedelta(days=3)]).fetchall()
        stats = {
            "rows_at_end": rows_at_end,
            "rows_at_d0": rows_at_d0,
            "persons_merged_away": len(persons_at_d0 - persons_at_end),
            "old_rows_merged": old_rows_merged,
            "old_path_rows_changed": len(set(old_paths_at_d0) ^ set(old_paths_at_end)),
        }
        yield full, replay, dbt, stats
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return con.execute(sql).fetchone()[0]


def _diff(con: duckdb.DuckDBPyConnection, table: str) -> tuple[int, int, int]:
    """Rows only in the full refresh, rows only in the replay (EXCEPT ALL, all columns), rows compared."""
    full, replay = f"f.main.{table}", f"kol_attr.main.{table}"
    only_full = _count(con, f"select count(*) from (select * from {full} except all select * from {replay})")
    only_replay = _count(
        con, f"select count(*) from (select * from {replay} except all select * from {full})"
    )
    return only_full, only_replay, _count(con, f"select count(*) from {full}")


@pytest.mark.parametrize("table", COMPARED)
def test_day_by_day_replay_equals_full_refresh(
    replayed: tuple[Path, Path, Dbt, dict[str, int]], table: str
) -> None:
    full, replay, _, _ = replayed
    # the in-process dbt keeps its connection to the replay database: open it with the default
    # configuration (shares that instance) and attach the full build beside it
    with duckdb.connect(str(replay)) as con:
        con.execute(f"attach if not exists '{full}' as f (read_only)")
        only_full, only_replay, rows = _diff(con, table)
    assert rows > 0, f"{table} is empty: nothing was compared"
    assert (only_full, only_replay) == (0, 0), (
        f"{table}: {only_full} of {rows} full-refresh rows missing from the replay, "
        f"{only_replay} extra rows in it"
    )


def test_replay_exercised_late_changes(replayed: tuple[Path, Path, Dbt, dict[str, int]]) -> None:
    """The ten replayed days grew the data, merged persons whose touches are older than the look-back and
    changed paths of conversions older than the look-back (so the replay exercised more than the cut-off)."""
    stats = replayed[3]
    print(f"replay stats: {stats}")  # shown with pytest -s
    assert stats["rows_at_end"] > stats["rows_at_d0"], stats
    assert stats["persons_merged_away"] > 0, stats
    assert stats["old_rows_merged"] > 0, stats
    assert stats["old_path_rows_changed"] > 0, stats


def test_changed_config_stops_incremental_run(replayed: tuple[Path, Path, Dbt, dict[str, int]]) -> None:
    _, replay, dbt, _ = replayed
    result = dbt.invoke(
        replay, ["run", "--select", "fct_touchpoints"], D_END, ", kol_attr__identity_rounds: 13"
    )
    assert not result.success
    message = str(result.result) + str(result.exception)
    assert "Configuration changed" in message and "--full-refresh" in message, message


def test_changed_windows_stop_incremental_paths(replayed: tuple[Path, Path, Dbt, dict[str, int]]) -> None:
    _, replay, dbt, _ = replayed
    result = dbt.invoke(
        replay, ["run", "--select", "int_conversion_paths"], D_END, ", kol_attr__windows_days: [7, 30]"
    )
    assert not result.success
    message = str(result.result) + str(result.exception)
    assert "Configuration changed" in message and "kol_attr__windows_days" in message, message
