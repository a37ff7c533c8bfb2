"""kol_attr: data-driven attribution algorithms for Xiaohongshu KOL attribution.

Pure functions over pandas DataFrames, no dbt imports.

* :mod:`kol_attr.attribution` - path-level models (exact Markov removal effect, data-driven
  Shapley, fractribution-style counterfactual, simplified Shapley) and path transforms.
* :mod:`kol_attr.incrementality` - aggregate (daily totals) incrementality model per KOL.
* :mod:`kol_attr.credits` - bridge used by the dbt Python models: builds path summaries from
  touch rows, calls the per-path API of :mod:`kol_attr.attribution` and returns touch credit.
"""

__all__ = ["attribution", "credits", "incrementality"]
