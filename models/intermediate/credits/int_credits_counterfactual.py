"""Data-driven 'counterfactual' credit for every configured window (kol_attr.credits.data_driven_credits).

Thin by design: fetch the conversion paths and the SQL path summaries (int_conversion_path_keys,
int_path_summaries), call the library, return its rows. The method,
the baseline rule and how channel credit becomes touch credit are documented in
src/kol_attr/credits.py and in _credits__models.yml.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from kol_attr.credits import CONVERSION_PATH_COLUMNS, credits_from_summaries, relation_to_pandas

    # build order only: one pandas-heavy credit model at a time keeps the build's memory to one model's
    dbt.ref("int_credits_shapley")
    return credits_from_summaries(
        "counterfactual",
        relation_to_pandas(dbt.ref("int_conversion_paths"), CONVERSION_PATH_COLUMNS),
        relation_to_pandas(dbt.ref("int_conversion_path_keys")),
        relation_to_pandas(dbt.ref("int_path_summaries")),
        dbt.config.get("windows_days"),
    )
