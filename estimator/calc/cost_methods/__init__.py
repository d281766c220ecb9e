"""The cost methods: rental, and Epoch AI's cloud, amortised and acquisition (arXiv 2405.21015).

One package by topic (docs/epoch-method.md has the rules the code cites):

* ``rules`` -- Epoch AI's date and vendor rules and the conventions where the product's
  defaults differ from Epoch's (tables from ``estimator/data/cost_methods.yaml``);
* ``price_sources`` -- one interface, two implementations: Epoch AI's price table and a
  hardware profile's dated observations;
* ``costs`` -- the one cost path (run + price source -> low/typical/high costs), used by
  every command and by ``benchmarks/epoch_parity.py``;
* ``by_method`` -- ``estimate()``, the API and ``cost --method``'s table;
* ``simulate_inputs`` -- what ``simulate --method`` draws.

The formulas are :mod:`estimator.models.cost_formulas`; scenario claims counted by a method
are :mod:`estimator.scenarios.methods`.
"""
