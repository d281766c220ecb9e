"""The commented template that `estimator new` writes, and a filled one from flags."""

import json
import re
from pathlib import Path

from estimator import clock
from estimator.calc.estimate import to_date
from estimator.data.yamlio import loads
from estimator.errors import EstimatorError, InputError
from estimator.scenarios.model import parse_scenario

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
  quantity: cost                   # cost | capex | gpu_hours | hours | flop | energy | energy_it | co2 | mfu | throughput_tflops_per_gpu | tokens_per_second | price_usd_per_gpu_hour | gpu_count
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


def from_run(scenario_id: str, gpu: str, claim: str, quantity: str = "cost", count=None,
             hours=None, gpu_hours=None, price=None, today=None) -> str:
    """A filled scenario file from one sentence's figures (`estimator new --from-run`): the
    stage as count + hours or gpu_hours (optionally with count), the claim, the stated price.
    The text is parsed before it is returned, so a bad figure is an error naming its key."""
    day = (today or clock.today()).isoformat()
    stage = {"count": count, "hours": hours, "gpu_hours": gpu_hours}
    statement = claim_sentence(gpu, claim, quantity, count, hours, gpu_hours)
    q = json.dumps
    lines = [
        "# Written by `estimator new --from-run`; fill in the source, then `estimator check`.",
        f"id: {scenario_id}", f"title: {q(headline(gpu, claim, quantity, count, hours, gpu_hours))}",
        f"date: {q(day)}", "sources:", f"  - outlet: {q('FILL IN: publication or author')}",
        f"    title: {q('FILL IN: headline or paper title')}", f"    date: {q(day)}",
        "    role: article", "claim:", f"  text: {q(statement)}",
        f"  quantity: {quantity}", f"  value: {q(claim)}", "stages:",
        f"  - name: {q('training')}", f"    gpu: {q(gpu)}"]
    lines += [f"    {k}: {q(str(v))}" for k, v in stage.items() if v is not None]
    if price is not None:
        lines += ["assumptions:", f"  price: {q(str(price))}"]
    text = "\n".join(lines) + "\n"
    parse_scenario(loads(text, file=FROM_RUN_FILE), FROM_RUN_FILE)
    return text


CLAIM_VERBS = {"cost": ("cost", "cost", ""), "capex": ("cost", "cost", ""),
               "gpu_hours": ("took", "take", " GPU-hours"), "hours": ("took", "take", " hours"),
               "flop": ("used", "use", " FLOP"), "energy": ("used", "use", ""),
               "energy_facility": ("used", "use", ""), "energy_it": ("used", "use", ""),
               "co2": ("emitted", "emit", ""),
               "mfu": ("ran at a model FLOP utilisation of", "run at a model FLOP utilisation of",
                       ""),
               "throughput_tflops_per_gpu": ("reached", "reach", " TFLOP/s per GPU"),
               "tokens_per_second": ("processed", "process", " tokens per second"),
               "price_usd_per_gpu_hour": ("cost", "cost", " per GPU-hour"),
               "gpu_count": ("used", "use", " GPUs")}
"""quantity -> (verb, its base form for a question, unit words for a bare number) of the
sentence of a generated claim."""


def _grouped(text) -> str:
    """'1024' -> '1,024'; '294000 USD' -> '294,000 USD' (other text as given)."""
    text = str(text).strip()
    return re.sub(r"^\d{4,}(?=\s|$)", lambda m: f"{int(m.group(0)):,}", text)


def _duration(text) -> str:
    """'80' -> '80 hours'; '2 weeks' as given."""
    text = str(text).strip()
    try:
        float(text)
    except ValueError:
        return text
    return f"{_grouped(text)} hours"


def _claim_parts(gpu, claim, quantity, count, hours, gpu_hours) -> tuple:
    if quantity == "capex":
        subject = f"Buying {_grouped(count)} {gpu} GPUs" if count is not None else \
            f"Buying the {gpu} GPUs"
    elif count is not None:
        subject = f"Training on {_grouped(count)} {gpu} GPUs"
    elif gpu_hours is not None:
        subject = f"Training for {_grouped(gpu_hours)} {gpu} GPU-hours"
    else:
        subject = f"Training on {gpu} GPUs"
    if hours is not None and quantity != "capex":
        subject += f" for {_duration(hours)}"
    past, base, unit = CLAIM_VERBS.get(quantity, ("gave", "give", ""))
    value = _grouped(claim)
    number = re.match(r"[~\d.,]+(?:[eE][+-]?\d+)?\s*[kKMGBT]?\b", value)
    if unit and unit != " per GPU-hour" and value[number.end() if number else 0:].strip():
        unit = ""                                   # the value names its own unit
    return subject, past, base, f"{value}{unit}"


def claim_sentence(gpu, claim, quantity="cost", count=None, hours=None, gpu_hours=None) -> str:
    """The claim as a sentence a reader would say: 'Training on 1,024 H200 GPUs for 2 weeks
    cost 1.2M USD'."""
    subject, past, _, value = _claim_parts(gpu, claim, quantity, count, hours, gpu_hours)
    return f"{subject} {past} {value}"


def headline(gpu, claim, quantity="cost", count=None, hours=None, gpu_hours=None) -> str:
    """A fact-check headline for the claim: 'Did training on 1,024 H200 GPUs for 2 weeks cost
    1.2M USD?'."""
    subject, _, base, value = _claim_parts(gpu, claim, quantity, count, hours, gpu_hours)
    return f"Did {subject[:1].lower()}{subject[1:]} {base} {value}?"


FROM_RUN_FILE = "<new --from-run>"


def from_run_text(scenario_id: str, out, *, gpu, claim, quantity="cost", count=None,
                  hours=None, gpu_hours=None, price=None, profiles=None, date=None) -> str:
    """`new --from-run`: the filled file, checked by running it (unknown GPU, missing flags and
    bad units are errors naming the flag); ``date`` (publication, "YYYY-MM-DD") is the file's
    and its source's date, so a past article is priced at its own date (default today)."""
    day = None if date is None else to_date(date, "--date")
    if gpu is None or claim is None:
        missing = "--gpu" if gpu is None else "--claim"
        raise InputError(f"--from-run needs {missing}", key=missing,
                         hint='e.g. --gpu H800 --count 512 --hours 80 --claim "294000 USD"')
    if out is not None and Path(out).stem != scenario_id:
        scenario_id = Path(out).stem
    try:
        text = from_run(scenario_id, gpu, claim, quantity, count, hours, gpu_hours, price,
                        today=day)
        parse_scenario(loads(text, file=FROM_RUN_FILE), FROM_RUN_FILE).run(profiles)
    except EstimatorError as exc:
        if exc.file == FROM_RUN_FILE:
            exc.file, exc.line = None, None
            exc.key = FLAG_OF_KEY.get(exc.key, exc.key)
        raise
    return text


FLAG_OF_KEY = {"stages[0].gpu": "--gpu", "stages[0].count": "--count",
               "stages[0].hours": "--hours", "stages[0].gpu_hours": "--gpu-hours",
               "stages[0]": "--count/--hours/--gpu-hours", "claim.value": "--claim",
               "claim": "--claim", "assumptions.price": "--price", "id": "--id"}
"""The flag behind each key of the file --from-run writes, for error messages."""


def scenario_template(scenario_id: str = "my-claim", *, gpu=None, claim=None,
                      quantity: str = "cost", count=None, hours=None, gpu_hours=None,
                      price=None, profiles=None, date=None) -> str:
    """The text of a new scenario file: what `estimator new` (`scenario init`) writes.

    Parameters
    ----------
    scenario_id : str
        The scenario's id (also its file name).
    gpu, claim : str, optional
        With both, a filled file from one sentence's figures (`new --from-run`), checked by
        running it: the GPU id or alias and the claimed figure ("294000 USD").
    quantity : str
        What ``claim`` states (cost, gpu_hours, hours, energy...; scenarios/schema.py).
    count, hours, gpu_hours : numeric or text, optional
        The stage: number of GPUs [GPU] and wall-clock duration [h], or total GPU time
        [GPU·h] (optionally with count).
    price : numeric or text, optional
        The source's stated price [USD/(GPU·h), or another currency] ("2 USD/h").
    profiles : path or list of paths, optional
        Extra folders of hardware profiles.
    date : date or "YYYY-MM-DD", optional
        When the claim was published (the file's price date); default today.

    Returns
    -------
    str
        The YAML text: the commented template, or the filled file.
    """
    if gpu is None and claim is None:
        return template(scenario_id)
    return from_run_text(scenario_id, None, gpu=gpu, claim=claim, quantity=quantity,
                         count=count, hours=hours, gpu_hours=gpu_hours, price=price,
                         profiles=profiles, date=date)
