"""Aggregate incrementality per KOL and campaign (kol_attr.aggregate.kol_incrementality). Thin by design."""


def model(dbt, session):
    dbt.config(materialized="table")
    from kol_attr.aggregate import kol_incrementality
    from kol_attr.credits import relation_to_pandas

    daily = relation_to_pandas(dbt.ref("int_incrementality_daily_outcomes"))
    engagement = relation_to_pandas(dbt.ref("int_incrementality_daily_engagement"))
    return kol_incrementality(
        daily,
        engagement,
        n_boot=int(dbt.config.get("bootstrap_replicates")),
        ci=float(dbt.config.get("interval_level")),
        seed=int(dbt.config.get("seed")),
    )
