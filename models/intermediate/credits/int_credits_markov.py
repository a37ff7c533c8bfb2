"""Data-driven 'markov' credit for every configured window (kol_attr.credits.data_driven_credits).

Thin by design: fetch the two path relations, call the library, return its rows. The method,
the baseline rule and how channel credit becomes touch credit are documented in
src/kol_attr/credits.py and in _credits__models.yml.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from kol_attr.credits import data_driven_credits, relation_to_pandas

    conversion_paths = relation_to_pandas(dbt.ref("int_conversion_paths"))
    nonconversion_paths = relation_to_pandas(dbt.ref("int_nonconversion_paths"))
    return data_driven_credits(
        "markov",
        conversion_paths,
        nonconversion_paths,
        dbt.config.get("windows_days"),
    )
