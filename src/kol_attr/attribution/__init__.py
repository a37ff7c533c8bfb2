"""Path-level attribution models over a path summary DataFrame.

Input (every model)
-------------------
A pandas DataFrame, one row per path (rows may repeat a path; they are treated as separate
groups of persons except where a model pools identical paths):

* ``path``: ordered list of channel ids (KOL ids), each a ``str``; any characters allowed
  (``'>'``, spaces, unicode); an empty list is a person with no touch.
* ``conversions``: converting persons on this path (float, may be fractional, >= 0).
* ``non_conversions``: persons on this path who did not convert (>= 0).
* ``revenue`` (optional): revenue of the conversions (any unit; credited like conversions).

Malformed input (not a DataFrame, missing column, a path that is not a list of strings, a
negative/missing/infinite count) raises ``ValueError`` naming the problem. Empty input returns an
empty result with the documented columns.

Output
------
Channel totals (default): one row per channel, ``channel``, ``conversions`` (credited),
``revenue`` (credited, when the input has it) and model columns; non-incremental credit, where
the model has it, is the row ``channel == '(baseline)'``. Credited conversions plus the
baseline row always equal the input's total conversions (same for revenue).

Per-path shares (``per_path=True``), the API the dbt Python models use to split each
conversion's credit among the KOLs on its own path: columns ``path_index`` (the input row's
index label, so callers can carry their own path key in the index), ``channel``, ``share``,
``conversions`` and ``revenue`` (the row's totals times ``share``). The shares of a row,
``(baseline)`` included, sum to 1, for converting and non-converting rows alike.

Models
------
* :func:`markov` - exact Anderl et al. (2016) removal effect from the absorbing chain (orders
  1 and 2+), one sparse LU factorisation; agrees with ChannelAttribution's simulation.
* :func:`shapley` - data-driven Shapley: fitted L2 logistic value function on exposure sets,
  exact Shapley per path, baseline kept apart. :func:`fit_conversion_model` exposes the fit.
* :func:`simplified_shapley` - Zhao et al. (2018) closed form = linear over distinct channels.
* :func:`counterfactual` - fractribution leave-one-out gain with documented fallbacks.
* :func:`incremental_credits` - not a path-summary model: conversion-level incremental credit from
  direct evidence, a self-controlled fit on the read panel and modelled shares of untouched
  conversions (:mod:`kol_attr.attribution.incremental`); returns credit rows.
* :func:`transform_paths`, :func:`apply_min_support` - shared path transforms and support.

Each function's module docstring states its formula, source and fallbacks.
"""

from ._common import BASELINE, OTHER
from .counterfactual import counterfactual
from .incremental import incremental_credits
from .markov import markov, markov_removal_effects
from .shapley import ConversionModel, fit_conversion_model, shapley, simplified_shapley
from .transforms import TRANSFORMS, apply_min_support, transform_paths

__all__ = [
    "BASELINE",
    "OTHER",
    "TRANSFORMS",
    "ConversionModel",
    "apply_min_support",
    "counterfactual",
    "fit_conversion_model",
    "incremental_credits",
    "markov",
    "markov_removal_effects",
    "shapley",
    "simplified_shapley",
    "transform_paths",
]
