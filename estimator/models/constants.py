"""The model constants shared by several formulas, each defined once with its source.

Every module that needs one of these imports it from here (tests/test_constants.py checks
that no other module assigns these names). Tables and dated series (committed-use
discounts, server factors, electricity prices by year, price indices) are data, not
constants: they live in estimator/data/*.yaml with a source and as_of for every number.

Sources
-------
Cottier, Rahman, Fattorini, Maslej, Besiroglu, Owen 2024, "The rising costs of training
frontier AI models", arXiv 2405.21015 (https://arxiv.org/abs/2405.21015), and its code,
https://github.com/epoch-research/training-cost-trends (constant names in ``code``).
"""

from __future__ import annotations

HOURS_PER_YEAR = 8766.0
"""24 x 365.25 [h/year]; Epoch AI training-cost-trends ``HOURS_PER_YEAR``."""

DAYS_PER_YEAR = 365.25
"""Days per year used to turn whole days into years of depreciation (Epoch AI)."""

DEPRECIATION_OOM_PER_YEAR = 0.14
"""Price-performance trend of ML GPUs [orders of magnitude per year], used both as the
depreciation rate and the replacement rate. Epoch AI, arXiv 2405.21015 section 2
(``ML_GPU_PRICE_PERFORMANCE_OOMS_PER_YEAR``)."""

INTERCONNECT_SHARE = 0.19
"""Share of cluster cost spent on the network between servers [fraction]; hardware cost is
divided by (1 - 0.19). Epoch AI ``CLUSTER_INTERCONNECT_COST_FRACTION`` (arXiv 2405.21015)."""

DEFAULT_MFU = 0.375
"""Model FLOP utilisation used when a run's is unknown [fraction]: the median of 33 reported
values, Epoch AI ``MEDIAN_UTILIZATION`` (arXiv 2405.21015). The one default of `cost --flop`,
`compute`, `check`, `simulate` and `plan` (the typical value of MFU_RANGE)."""

MFU_RANGE = (0.15, 0.65)
"""Plausible span of model FLOP utilisation when a run's is unknown [fraction], around
DEFAULT_MFU: the one default range of `cost --flop`, `compute`, `check`, `simulate --scenario`
and `plan` (low MFU gives the high GPU-hours and cost, and vice versa).

The high end is Epoch AI's (90% interval 0.1-0.65 of their cost Monte Carlo, arXiv
2405.21015). The low end, 0.15, is this project's estimate, not Epoch's: it lies below every
MFU reported for a large training run that we know of (GPT-3 21.3%, Gopher 32.5%, PaLM 46.2%:
Chowdhery et al. 2022, arXiv 2204.02311, Table 3; Llama 3 405B 38-43%: arXiv 2407.21783,
Table 4), so a claim that implies less is flagged. Epoch's 0.1 would call such claims
consistent (e.g. BloombergGPT's 1.3M GPU-hour allocation read as the run, an MFU of 0.118).
Pass ``mfu="0.1:0.65"`` (``--mfu 0.1:0.65``) for Epoch's interval."""

PRICE_RANGE = (0.5, 2.0)
"""90% interval of a hardware or rental price as multiples of its central value (lognormal
input of Epoch AI's Monte Carlo: "price 0.5-2x"; arXiv 2405.21015)."""
