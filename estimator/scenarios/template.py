"""The commented template that `estimator new` writes."""

TEMPLATE = '''# A claim to check: `estimator check {id}.yaml`. Format: docs/scenario-format.md
# JSON Schema for your editor: `estimator schema scenario`.
id: {id}                           # must equal the file name without .yaml
title: "What was claimed, in a few words"
date: "2025-01-31"                 # when the claim was published (also the default FX date)
sources:
  - outlet: "Publication or author"
    title: "Headline or paper title"
    date: "2025-01-31"
    url: "https://example.com/article"
    language: en                   # ISO 639-1: en, sv, da, de, ro ...
    role: article                  # article | primary | secondary | estimate
    quote: "the sentence with the number, in the source's language"
claim:
  text: "Model X cost $1 million to train on 1,000 H100s in 10 days"
  quantity: cost                   # cost | capex | gpu_hours | hours | flop | energy | co2
  value: "1M USD"                  # any currency (SEK, EUR, CNY...) or unit ("2.788M", "80 h")
  relation: approx                 # approx (within tolerance) | at_least | at_most | between
  tolerance: 0.05                  # relative, for approx
  scope: final-run                 # final-run | pre-training | rl-stage | fine-tune | all-stages | budget | fleet
stages:                            # summed stage by stage
  - name: "training"
    gpu: H100                      # any id or alias from `estimator gpus`
    count: 1000                    # count + hours, or gpu_hours, or params + tokens (+ mfu)
    hours: "10 days"
assumptions:
  price: "2 USD/h"                 # the source's own price per GPU-hour, if it states one
  # fx_date: "2025-01-31"          # exchange-rate date for a non-USD claim
  # mfu: "0.3:0.45"                # for stages given as params + tokens or flop
  # as_of: "2025-01-31"            # price band from observations up to this date
expect:
  verdict: consistent              # reproduced | consistent | inconsistent: what you expect
notes: |
  Why the claim is or is not what it seems; what the figure covers.
'''


def template(scenario_id: str) -> str:
    """The template text with ``scenario_id`` filled in."""
    return TEMPLATE.format(id=scenario_id)
