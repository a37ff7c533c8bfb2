"""Data-driven 'incremental' credit for every configured window (kol_attr.attribution.incremental).

Thin by design: fetch the conversion paths and the KOL-matched touchpoints, call the library,
return its rows. The method (direct evidence, a self-controlled fit on the read panel, modelled
shares of conversions without an observed touch) is documented in
src/kol_attr/attribution/incremental.py and in _credits__models.yml.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from kol_attr.attribution.incremental import TOUCHPOINT_COLUMNS, incremental_credits
    from kol_attr.credits import CONVERSION_PATH_COLUMNS, config_flag, empty_credits, relation_to_pandas

    if not config_flag(dbt.config.get("build_credit")):  # var kol_attr__incremental_credit (opt-in)
        return empty_credits()
    touchpoints = dbt.ref("fct_touchpoints").filter("is_kol_matched").select(*TOUCHPOINT_COLUMNS)
    return incremental_credits(
        relation_to_pandas(dbt.ref("int_conversion_paths"), CONVERSION_PATH_COLUMNS),
        relation_to_pandas(touchpoints),
        dbt.config.get("windows_days"),
    )
