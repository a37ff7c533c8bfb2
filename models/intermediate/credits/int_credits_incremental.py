"""Data-driven 'incremental' credit for every configured window (kol_attr.attribution.incremental).

Thin by design: fetch the conversion paths and the read panel, call the library, return its rows.
The read panel (search-led reads, exposures per person x day and per KOL x day) is computed in SQL
(models/intermediate/read_panel), so no touchpoint is held in memory here. The method (direct
evidence, a self-controlled fit on the read panel, modelled shares of conversions without an
observed touch) is documented in src/kol_attr/attribution/incremental.py and in _credits__models.yml.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from kol_attr.attribution.incremental import (
        KOL_DAY_COLUMNS,
        PERSON_DAY_COLUMNS,
        SEARCH_LED_COLUMNS,
        incremental_credits_from_panel,
    )
    from kol_attr.credits import CONVERSION_PATH_COLUMNS, config_flag, empty_credits, relation_to_pandas

    if not config_flag(dbt.config.get("build_credit")):  # var kol_attr__incremental_credit
        return empty_credits()
    return incremental_credits_from_panel(
        relation_to_pandas(dbt.ref("int_conversion_paths"), CONVERSION_PATH_COLUMNS),
        relation_to_pandas(dbt.ref("int_read_panel_person_days"), PERSON_DAY_COLUMNS),
        relation_to_pandas(dbt.ref("int_read_panel_kol_days"), KOL_DAY_COLUMNS),
        relation_to_pandas(dbt.ref("int_reads_search_led"), SEARCH_LED_COLUMNS),
        dbt.config.get("windows_days"),
    )
