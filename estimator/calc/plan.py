"""plan(): which GPUs, how many and in what parallel layout train a model by a deadline,
within a budget — searched in one vectorised pass over every candidate configuration.

Formulas live in estimator/models/ (transformer_flops, memory, goodput); this module builds
the candidate grid, prices it with the profiles' bands and picks the cheapest and fastest.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from estimator.bands import DEFAULT_TIER, band_evidence, parse_tiers
from estimator.calc import mfu as mfu_auto
from estimator.calc.architecture import resolve_architecture
from estimator.calc.estimate import price_ranges, resolve_gpus
from estimator.calc.price_columns import kind_axes
from estimator.calc.request import Request, finish
from estimator.calc.request_docs import documents_request
from estimator.data.fx import parsed_usd
from estimator.data.profile_types import PRECISIONS
from estimator.data.profiles import load_profiles
from estimator.errors import EstimatorError, InputError
from estimator.inputs.axes import as_list, product_indices
from estimator.inputs.request import parse_axis, parse_quantity, parse_quantity_range, parse_scalar
from estimator.models import goodput as gp
from estimator.models import memory as mem
from estimator.models import transformer_flops as tf
from estimator.models.constants import DEFAULT_MFU, MFU_RANGE

DEFAULT_GPUS = ("H100", "H200", "A100")


TENSOR_PARALLEL = (1, 2, 4, 8)
"""Tensor-parallel sizes searched: within one 8-GPU NVLink server, where Megatron-LM keeps
tensor parallelism (Narayanan et al. 2021, arXiv 2104.04473, sec. 3.2)."""

PIPELINE_PARALLEL = (1, 2, 4, 8, 16, 32)
"""Pipeline-parallel sizes searched (each must divide the layer count)."""

MAX_PLAN_COUNTS = 10_000
"""Most GPU counts one search compares [values]: every count expands to its layouts in
memory; 10,000 counts (``--count 1..10000``) peak at ~1.1 GB (measured; README "Limits")."""

DEFAULT_COUNTS = np.unique(np.concatenate([8 * 2 ** np.arange(14),
                                           12 * 2 ** np.arange(13)]))
"""GPU counts searched by default: 8, 12, 16, 24, ... 65,536 (whole 8-GPU servers)."""

DEFAULT_MICRO_BATCHES = (1, 2, 4, 8)
"""Micro-batch sizes searched [sequences per GPU per step]."""

EXPERT_PARALLEL = (1, 2, 4, 8, 16, 32, 64)
"""Expert-parallel sizes searched for a mixture-of-experts model (each must divide the
experts and the data-parallel size; Megatron-LM); dense models use 1."""

GLOBAL_BATCH_TOKENS_BY_SIZE = ((0, 0.5e6), (1.3e9, 1e6), (6.7e9, 2e6), (175e9, 3.2e6))
"""Default global batch [tokens] by parameter count, a step function (from this size up):
GPT-3's batch sizes, Brown et al. 2020, arXiv 2005.14165, Table 2.1 (125M-760M 0.5M, 1.3B
and 2.7B 1M, 6.7B and 13B 2M, 175B 3.2M tokens). Rounded to a power-of-two number of
sequences so that it splits over power-of-two data-parallel sizes."""

MAX_CANDIDATES = 4_000_000
"""Most candidate rows (layouts, then layouts x GPUs) one search builds: ~40 float columns
each, about 1.3 GB at the limit. Larger searches are refused with a hint to narrow them."""

PLAN_TABLE = ["pick", "gpu", "count", "tp", "pp", "dp", "ep", "zero", "micro_batch",
              "grad_accum", "recompute", "memory_weights_gb", "memory_gradients_gb",
              "memory_optimizer_gb", "memory_activations_gb", "memory_other_gb",
              "memory_gb_per_gpu", "fits", "wall_clock_days", "gpu_hours", "goodput",
              "cost_usd_low", "cost_usd_typical", "cost_usd_high"]

LAYOUT_COLUMNS = ("count", "tp", "pp", "dp", "ep", "zero", "micro_batch", "grad_accum",
                  "recompute_code", "global_batch")
"""The layout table's columns (one row per candidate layout): the step-time model takes it."""

RULES = ("tp x pp does not divide the GPU count",
         "tp does not divide the heads, key/value heads and MLP width",
         "pp does not divide the layers",
         "ep does not divide the experts and the data-parallel size",
         "dp x micro-batch does not divide the global batch",
         "fewer micro-batches than pipeline stages",
         "does not fit in memory",
         "misses the deadline",
         "over the budget")
"""Why a candidate was dropped, in the order the rules are checked (``plan --explain``)."""


class InfeasiblePlanError(InputError):
    """No candidate meets every constraint; ``binding`` names the one that binds."""

    def __init__(self, message: str, *, binding: str, **kwargs):
        super().__init__(message, **kwargs)
        self.binding = binding
        self.gpus_searched: list[str] = []
        self.dropped: dict[str, int] = {}


def default_global_batch(params, seq_len) -> int:
    """Default global batch [sequences]: GLOBAL_BATCH_TOKENS_BY_SIZE / seq_len, rounded to a
    power of two."""
    tokens = [b for size, b in GLOBAL_BATCH_TOKENS_BY_SIZE if params >= size][-1]
    return int(2 ** max(0, round(np.log2(tokens / seq_len))))


def layout_grid(shape, counts, global_batch, *, tp=TENSOR_PARALLEL, pp=PIPELINE_PARALLEL,
                ep=None, zero=mem.ZERO_STAGES, recompute=(0, 1, 2),
                micro_batch=DEFAULT_MICRO_BATCHES, dp=None) -> tuple[dict, np.ndarray]:
    """Every candidate layout as a table of flat arrays (LAYOUT_COLUMNS), and the index into
    RULES of the first layout rule each breaks (-1: none).

    Rules: tp x pp divides the count; tp divides heads, key/value heads and the MLP width
    (Megatron-LM splits each of them t ways; Narayanan et al. 2021, sec. 2.3); pp divides
    the layers; ep divides the experts and dp; the global batch = dp x micro-batch x
    accumulation steps (Narayanan et al. 2021, sec. 2.2: B = b x m x d); at least as many
    micro-batches m as pipeline stages p, since the 1F1B bubble is (p - 1) / m of the
    step (Narayanan et al. 2021, sec. 2.2.1) and the memory model assumes p in flight.
    """
    ep = (EXPERT_PARALLEL if shape.moe else (1,)) if ep is None else ep
    counts = _usable_counts(counts, tp, pp, global_batch)
    sizes = [len(counts), len(tp), len(pp), len(ep), len(zero), len(recompute),
             len(micro_batch)]
    _check_size(int(np.prod(sizes, dtype=np.int64)), "layouts")
    axes = [np.asarray(counts, dtype=np.int64), np.asarray(tp, dtype=np.int64),
            np.asarray(pp, dtype=np.int64), np.asarray(ep, dtype=np.int64),
            np.asarray(zero, dtype=np.int64), np.asarray(recompute, dtype=np.int64),
            np.asarray(micro_batch, dtype=np.int64)]
    idx = product_indices([len(a) for a in axes])
    c, t, p, e, z, r, b = (a[i] for a, i in zip(axes, idx))
    d = c // (t * p)
    ffn = shape.expert_ffn_hidden or shape.ffn_hidden
    broken = [c % (t * p) != 0,
              (shape.heads % t != 0) | (shape.kv_heads % t != 0) | (shape.ffn_hidden % t != 0)
              | (ffn % t != 0),
              shape.layers % p != 0,
              (e > 1) & ((shape.experts % e != 0) | (np.maximum(d, 1) % e != 0)),
              (d == 0) | (global_batch % np.maximum(d * b, 1) != 0),
              global_batch // np.maximum(d * b, 1) < p]
    reason = np.full(c.size, -1)
    for i in range(len(broken) - 1, -1, -1):
        reason = np.where(broken[i], i, reason)
    table = {"count": c, "tp": t, "pp": p, "dp": d, "ep": e, "zero": z, "micro_batch": b,
             "grad_accum": global_batch // np.maximum(d * b, 1), "recompute_code": r,
             "global_batch": np.full(c.size, global_batch)}
    if dp is not None:
        reason = np.where((reason < 0) & ~np.isin(d, np.asarray(dp, dtype=np.int64)), 0,
                          reason)
    return table, reason


def _usable_counts(counts, tp, pp, global_batch) -> np.ndarray:
    """The GPU counts some tp x pp splits into at most ``global_batch`` data-parallel ranks
    (each rank needs a sequence); the rest cannot give a valid layout."""
    counts = np.unique(np.asarray(counts, dtype=np.int64))
    products = np.unique(np.multiply.outer(np.asarray(tp, dtype=np.int64),
                                           np.asarray(pp, dtype=np.int64)).ravel())
    keep = np.zeros(counts.size, dtype=bool)
    for unit in products:       # a handful of tp x pp products, each a vectorised pass
        keep |= (counts % unit == 0) & (counts // unit <= global_batch)
    return counts[keep] if keep.any() else counts[:1]


def _check_size(rows: int, what: str) -> None:
    if rows > MAX_CANDIDATES:
        raise InputError(f"the search has {rows:,} candidate {what}, more than the "
                         f"{MAX_CANDIDATES:,} one pass holds", key="count",
                         hint="Narrow --count or --gpu, or pin --tp/--pp/--zero/"
                              "--micro-batch/--recompute.")


def layout_memory(arch, layout: dict, *, flash_attention=True, sequence_parallel=True,
                  gradient_dtype=mem.DEFAULT_GRADIENT_DTYPE) -> dict:
    """Bytes per GPU by component for every row of a layout table (models/memory.py)."""
    return mem.memory_breakdown(
        arch.shape, layout["tp"], layout["pp"], layout["dp"], layout["ep"], layout["zero"],
        layout["recompute_code"], layout["micro_batch"], layout["grad_accum"],
        flash_attention, sequence_parallel, mem.GRADIENT_DTYPE_BYTES[gradient_dtype],
        params_scale=arch.params_scale)


def layout_mfu(mfu, layout: dict, gpus) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(low, typical, high) MFU for every row: the one place `plan` decides utilisation
    without ``--mfu auto``. A range applied to every layout: by default the one MFU default of
    every command (models/constants.py: DEFAULT_MFU 0.375 in MFU_RANGE 0.15-0.65, as `cost
    --flop`, `compute` and `check` use it); a given low:high range has its midpoint as the
    typical value."""
    low, high = _mfu_range(mfu)
    typical = DEFAULT_MFU if mfu is None else (low + high) / 2
    n = layout["count"].size
    return np.full(n, low), np.full(n, typical), np.full(n, high)


def evaluate(layout: dict, gpu_index, *, arch, tokens, peak_tflops, memory_gb, bands,
             mfu_low, mfu_high, memory: dict, headroom=mem.DEFAULT_HEADROOM, mfu_typical=None,
             mfu_mid=None,
             failures_per_gpu_hour=gp.DEFAULT_FAILURES_PER_GPU_HOUR,
             checkpoint_hours=gp.DEFAULT_CHECKPOINT_WRITE_HOURS,
             restart_hours=gp.DEFAULT_RESTART_HOURS) -> dict:
    """Every column of every candidate (layout rows already crossed with GPUs).

    ``gpu_index`` indexes ``peak_tflops`` [TFLOP/s], ``memory_gb`` [GB] and ``bands``
    ([n, 3] USD per GPU-hour); ``memory`` holds bytes per GPU by component.
    GPU-hours = training FLOP / (peak x MFU x 3600) / goodput.
    """
    s = arch.shape
    count = layout["count"]
    # with a predicted MFU (mfu_typical) recomputation is time in the step model, not FLOP
    flop = tf.training_flop(arch.params, tokens, s.layers, s.hidden, s.seq_len,
                            layout["recompute_code"] if mfu_typical is None
                            else np.zeros_like(layout["recompute_code"]),
                            arch.active_params)
    per_gpu_flop_s = peak_tflops[gpu_index] * 1e12 * 3600.0
    share = gp.goodput(count, failures_per_gpu_hour, checkpoint_hours, restart_hours)
    # the typical MFU: the prediction (--mfu auto), else the given typical, else the midpoint
    mid = (mfu_typical if mfu_typical is not None
           else mfu_mid if mfu_mid is not None else (mfu_low + mfu_high) / 2)
    hours_mid = gp.planned_gpu_hours(flop / (per_gpu_flop_s * mid), share)
    hours_low = gp.planned_gpu_hours(flop / (per_gpu_flop_s * mfu_high), share)
    hours_high = gp.planned_gpu_hours(flop / (per_gpu_flop_s * mfu_low), share)
    band = bands.take(gpu_index)
    out = {"gpu_index": gpu_index, **layout, "training_flop": flop}
    for name in ("weights", "gradients", "optimizer", "activations", "other"):
        out[f"memory_{name}_gb"] = memory[name] / mem.GB
    out["memory_gb_per_gpu"] = memory["total"] / mem.GB
    out.update({"fits": memory["total"] <= mem.usable_bytes(memory_gb[gpu_index], headroom),
                "wall_clock_days": hours_mid / count / 24.0, "gpu_hours": hours_mid,
                "goodput": share, "cost_usd_low": hours_low * band.low,
                "cost_usd_typical": hours_mid * band.typical,
                "cost_usd_high": hours_high * band.high})
    return out


@documents_request
def plan(params=None, tokens=None, *, model=None, gpu=DEFAULT_GPUS, deadline=None,
         budget=None, mfu=None, count=None, seq_len=None, recompute=None, zero=None,
         layers=None, hidden=None, heads=None, kv_heads=None, ffn_hidden=None, mlp=None,
         vocab=None, tied_embeddings=None, experts=None, top_k=None, shared_experts=None,
         active_params=None, tp=None, pp=None, dp=None, ep=None, micro_batch=None,
         global_batch=None, flash_attention=True, sequence_parallel=True,
         gradient_dtype=mem.DEFAULT_GRADIENT_DTYPE, precision="bf16", price=None, as_of=None,
         fx_date=None, failures_per_gpu_hour=gp.DEFAULT_FAILURES_PER_GPU_HOUR,
         checkpoint_hours=gp.DEFAULT_CHECKPOINT_WRITE_HOURS,
         restart_hours=gp.DEFAULT_RESTART_HOURS, headroom=mem.DEFAULT_HEADROOM, top=10,
         profiles=None, tier=DEFAULT_TIER, provider_class=None) -> pd.DataFrame:
    """Ranked layouts that obey the layout rules, fit in memory and meet deadline and budget.

    Parameters
    ----------
    params, tokens : numeric or text
        Parameters ("70B", the headline N for FLOP) and training tokens ("2T").
    model : str, optional
        A built-in architecture ("llama-3-70b"; architectures.yaml); the dimensions below
        override it. Without it, the built-in dense model closest to ``params`` lends its
        shape (said in ``attrs["notes"]``). See calc/architecture.resolve_architecture.
    layers, hidden, heads, kv_heads, ffn_hidden, mlp, vocab, tied_embeddings, seq_len,
    experts, top_k, shared_experts, active_params : optional
        The transformer's shape (mlp "gelu" or "swiglu"); MoE with ``experts``.
    gpu : str or list
        GPUs to compare (default H100, H200, A100); "all": every GPU with a price band at
        ``as_of`` (and a memory size).
    deadline : text or hours, optional
        Wall-clock limit ("30d"); ``budget``: typical rental cost limit ("5M", "4M EUR").
    mfu : number or "low:high", optional
        Utilisation of the counted training FLOP (default 0.15:0.65, the one default of
        models/constants.py MFU_RANGE), or "auto": predicted per layout (calc/mfu.py).
    count, tp, pp, dp, ep, zero, micro_batch, recompute : optional
        Pin or restrict any part of the layout (a value or a list).
    global_batch : int or text, optional
        Sequences per optimizer step, or "4M tokens"; default by model size
        (GLOBAL_BATCH_TOKENS_BY_SIZE).
    flash_attention, sequence_parallel, gradient_dtype : memory model settings
        (default on, on, "fp32"; models/memory.py).
    price : numeric or text, optional
        Rental price [USD/(GPU·h)] for every GPU, as in estimate(); default: each GPU's
        price band from its profile. Comma lists of tiers and provider classes are axes like
        ``gpu``: each GPU is planned once per class x tier, and the tables get ``tier`` and
        ``provider_class`` columns.
    {request_parameters}

    Returns
    -------
    DataFrame with PLAN_TABLE columns: the cheapest row first (pick "cheapest"), the
    fastest next (pick "fastest"), then the other configurations by typical cost, at most
    ``top`` rows, one layout per GPU and count. ``attrs``: ``gpus_searched``,
    ``best_per_gpu`` (a DataFrame), ``dropped`` (reason -> count), ``architecture``,
    ``notes``. Raises InfeasiblePlanError naming the binding constraint.
    """
    request = Request.from_keywords(as_of=as_of, fx_date=fx_date, profiles=profiles, tier=tier,
                                    provider_class=provider_class)   # checks tier and class
    as_of, fx_date, profiles = request.as_of, request.fx_date, request.profiles
    if tokens is None:
        raise InputError("give the training tokens", key="tokens", hint="E.g. --tokens 2T.")
    n_tokens = parse_scalar(tokens, "tokens", key="tokens")
    arch = resolve_architecture(params, model, active_params=active_params, mlp=mlp,
                                tied_embeddings=tied_embeddings, layers=layers, hidden=hidden,
                                heads=heads, kv_heads=kv_heads, ffn_hidden=ffn_hidden,
                                vocab=vocab, seq_len=seq_len, experts=experts, top_k=top_k,
                                shared_experts=shared_experts)
    if gradient_dtype not in mem.GRADIENT_DTYPE_BYTES:
        raise InputError(f"unknown gradient dtype {gradient_dtype!r}", key="gradient_dtype",
                         hint=f"Valid: {', '.join(mem.GRADIENT_DTYPE_BYTES)}.")
    batch = _global_batch(global_batch, arch)
    gpus = _searched_gpus(gpu, profiles, as_of, price, precision)
    kinds = None
    if price is None:       # tiers and classes are axes: one entry per GPU x class x tier
        gpus, row_tiers, row_classes = kind_axes(gpus, tier, provider_class, as_of)
        if (parse_tiers(tier) != (DEFAULT_TIER,) or provider_class is not None
                or len(set(zip(row_tiers, row_classes))) > 1):
            kinds = (row_tiers, row_classes)
        _, prices, used = price_ranges(gpus, None, as_of=as_of, fx_date=fx_date,
                                       tier=row_tiers, provider_class=row_classes)
    else:
        _, prices, used = price_ranges(gpus, price, as_of=as_of, fx_date=fx_date)
    band_notes = [] if price is not None else [   # thin, derived or stale bands (issue 23)
        f"{_option_label(p, i, kinds)} price band: {band_evidence(b)}"
        for i, (p, b) in enumerate(zip(gpus, used))
        if b.thin or b.stale or b.rule == "derived"]
    peaks, capacity = _gpu_specs(gpus, precision)   # one entry per GPU (x class x tier)
    bands = prices.take(np.zeros(len(gpus), dtype=int)) if price is not None else prices
    counts = DEFAULT_COUNTS if count is None else parse_axis(count, "count", "count")
    if counts.size > MAX_PLAN_COUNTS:
        raise InputError(f"{counts.size:,} GPU counts to compare, more than the "
                         f"{MAX_PLAN_COUNTS:,} one search holds in memory", key="count",
                         hint="Use a coarser step (--count 8..65536..8) or a shorter range.")
    layout, reason = layout_grid(
        arch.shape, counts.astype(np.int64), batch,
        tp=_ints(tp, "tp", TENSOR_PARALLEL), pp=_ints(pp, "pp", PIPELINE_PARALLEL),
        ep=None if ep is None else _ints(ep, "ep", EXPERT_PARALLEL),
        zero=_zero_stages(zero), recompute=_recompute_codes(recompute),
        micro_batch=_ints(micro_batch, "micro_batch", DEFAULT_MICRO_BATCHES),
        dp=None if dp is None else _ints(dp, "dp", ()))
    dropped = {RULES[i]: int(n) for i, n in enumerate(np.bincount(reason[reason >= 0],
                                                                   minlength=len(RULES)))
               if n}
    valid = {k: v[reason < 0] for k, v in layout.items()}
    if valid["count"].size == 0:
        exc = InfeasiblePlanError(_rules_message(dropped, arch), binding="layout",
                                  key="count", hint="Pin fewer parts of the layout, or "
                                  "use GPU counts that are multiples of 8.")
        exc.gpus_searched, exc.dropped = _searched_labels(gpus, kinds), dropped
        raise exc
    memory = layout_memory(arch, valid, flash_attention=flash_attention,
                           sequence_parallel=sequence_parallel, gradient_dtype=gradient_dtype)
    n_layouts, n_gpus = valid["count"].size, len(gpus)
    _check_size(n_layouts * n_gpus, "GPU x layout rows")
    row, g = (a.ravel() for a in np.meshgrid(np.arange(n_layouts), np.arange(n_gpus),
                                             indexing="ij"))
    crossed = {k: v[row] for k, v in valid.items()}
    predicted, no_defaults, mfu_mid = None, [], None
    if mfu_auto.is_auto(mfu):       # issue 26: the step-time model per layout row
        predicted, no_defaults = mfu_auto.layout_prediction(
            arch, crossed, g, gpus, precision, flash_attention=flash_attention,
            sequence_parallel=sequence_parallel)
        mfu_low, mfu_high = predicted["mfu_low"], predicted["mfu_high"]
    else:
        mfu_low, mfu_mid, mfu_high = layout_mfu(mfu, crossed, gpus)
    cols = evaluate(crossed, g, arch=arch, tokens=n_tokens, peak_tflops=peaks,
                    memory_gb=capacity, bands=bands, mfu_low=mfu_low, mfu_high=mfu_high,
                    mfu_typical=None if predicted is None else predicted["mfu_predicted"],
                    mfu_mid=mfu_mid,
                    memory={k: v[row] for k, v in memory.items()}, headroom=headroom,
                    failures_per_gpu_hour=failures_per_gpu_hour,
                    checkpoint_hours=checkpoint_hours, restart_hours=restart_hours)
    cols.update(predicted or {})
    deadline_h = None if deadline is None else parse_scalar(deadline, "hours", key="deadline")
    budget_usd = None if budget is None else parsed_usd(
        parse_quantity(budget, "money", key="budget"), request.fx_on, "budget")
    if budget_usd is not None and not budget_usd > 0:
        raise InputError(f"a budget of {budget!r} leaves nothing to spend", key="budget",
                         hint="Give a positive amount, e.g. --budget 30M. On a command line, "
                              "quote a dollar sign ('$30M') or leave it out: the shell reads "
                              "\"$30M\" as an empty variable $3 followed by 0M.")
    try:
        ok, more = _feasible(cols, deadline_h, budget_usd, gpus, capacity, arch, headroom)
    except InfeasiblePlanError as exc:
        exc.gpus_searched = _searched_labels(gpus, kinds)
        exc.dropped = {**dropped, **_dropped_by_constraints(cols, deadline_h, budget_usd)}
        raise
    dropped.update(more)
    frame = _ranked(cols, ok, gpus, top, kinds)
    frame.attrs["notes"] = list(arch.notes) + list(arch.warnings) + (
        [f"--mfu auto: no step-time defaults for {', '.join(no_defaults)} (give "
         "--matmul-fraction and --dp-gb-per-s via compute), not planned"] if no_defaults
        else []) + band_notes
    frame.attrs["warnings"] = list(arch.warnings)
    frame.attrs["gpus_searched"] = _searched_labels(gpus, kinds)
    frame.attrs["best_per_gpu"] = _best_per_gpu(cols, ok, gpus, deadline_h, budget_usd, kinds)
    frame.attrs["dropped"] = dropped
    frame.attrs["global_batch"] = batch
    frame.attrs["architecture"] = arch
    frame.attrs["flop_formula"] = tf.formula_name("none", True, arch.shape.moe
                                                  or arch.active_params < arch.params)
    return finish(frame, request)


def _global_batch(value, arch) -> int:
    seq = arch.shape.seq_len
    if value is None:
        return default_global_batch(arch.params, seq)
    text = str(value).strip()
    if text.lower().endswith("tokens"):
        tokens = parse_scalar(text[: -len("tokens")].strip(), "tokens", key="global_batch")
        sequences = tokens / seq
        if abs(sequences - round(sequences)) > 1e-9 * sequences or round(sequences) < 1:
            raise InputError(f"a global batch of {tokens:,.0f} tokens is not a whole number "
                             f"of {seq:,}-token sequences", key="global_batch",
                             hint=f"Use a multiple of {seq:,} tokens, or give sequences.")
        return int(round(sequences))
    sequences = parse_scalar(value, "count", key="global_batch")
    if sequences < 1 or sequences != int(sequences):
        raise InputError(f"global batch must be a whole number of sequences, got {value}",
                         key="global_batch", hint="E.g. --global-batch 1024 or '4M tokens'.")
    return int(sequences)


def _ints(value, key, default) -> np.ndarray:
    if value is None:
        return np.asarray(default, dtype=np.int64)
    values = parse_axis(value, "count", key) if not isinstance(value, int) else np.array(
        [value], dtype=float)
    if (values < 1).any() or (values != np.round(values)).any():
        raise InputError(f"{key} must be whole numbers >= 1", key=key)
    return values.astype(np.int64)


def _searched_gpus(gpu, profiles, as_of, price, precision) -> list:
    if not (isinstance(gpu, str) and gpu.strip().lower() == "all"):
        return resolve_gpus(gpu, profiles)
    found = [p for p in load_profiles(profiles)
             if p.spec("memory_gb") and p.spec(PRECISIONS.get(precision.lower(), ""))
             and (price is not None or p.band(as_of) is not None)]
    if not found:
        raise InputError("no GPU has a price band and a memory size at this date", key="gpu",
                         hint="Pass --as-of a later date, a --price, or name the GPUs.")
    return found


def _rules_message(dropped, arch) -> str:
    s = arch.shape
    reasons = "; ".join(f"{n:,} {why}" for why, n in dropped.items())
    return (f"no layout obeys the layout rules ({s.layers} layers, {s.heads} heads, "
            f"{s.kv_heads} key/value heads, MLP width {s.ffn_hidden}): {reasons}")


def _gpu_specs(gpus, precision) -> tuple[np.ndarray, np.ndarray]:
    try:
        peaks = np.array([p.peak_tflops(precision) for p in gpus])
    except EstimatorError as exc:
        raise InputError(f"{exc.message}, which a plan at {precision.upper()} needs", key="gpu",
                         hint="Choose GPUs with a BF16 dense peak (A100, H100, H200...); the "
                              "Python API takes precision=.") from None
    missing = [p.name for p in gpus if not p.spec("memory_gb")]
    if missing:
        raise InputError(f"{', '.join(missing)} has no memory size in its profile", key="gpu",
                         hint="Add specs.memory_gb to the profile, or leave the GPU out.")
    return peaks, np.array([p.spec("memory_gb") for p in gpus], dtype=float)


def _mfu_range(mfu) -> tuple[float, float]:
    if mfu is None:
        return MFU_RANGE
    if isinstance(mfu, (tuple, list)) and len(mfu) == 2:
        mfu = f"{mfu[0]}:{mfu[1]}"
    low, high = parse_quantity_range(mfu, "fraction", key="mfu")
    return low.value, high.value


def _zero_stages(zero) -> np.ndarray:
    if zero is None:
        return np.array(mem.ZERO_STAGES)
    stages = parse_axis(zero, "number", "zero") if not isinstance(zero, int) else np.array(
        [zero], dtype=float)
    if not np.isin(stages, mem.ZERO_STAGES).all():
        raise InputError(f"ZeRO stage {stages[~np.isin(stages, mem.ZERO_STAGES)][0]:g} does "
                         "not exist", key="zero", hint="Valid: 0, 1, 2, 3.")
    return stages.astype(int)


def _recompute_codes(recompute) -> np.ndarray:
    if recompute is None:
        return np.arange(len(tf.RECOMPUTE))
    try:
        return np.atleast_1d(tf.recompute_code(np.array(as_list(recompute), dtype=object)))
    except ValueError as exc:
        raise InputError(str(exc), key="recompute") from None


def _feasible(cols, deadline_h, budget_usd, gpus, capacity, arch, headroom) -> tuple:
    """Candidates meeting every constraint and the drop counts by reason; InfeasiblePlanError
    naming the binding constraint when none does."""
    fits = cols["fits"]
    days = cols["wall_clock_days"]
    cost = cols["cost_usd_typical"]
    dropped = _dropped_by_constraints(cols, deadline_h, budget_usd)
    if not fits.any():
        raise InfeasiblePlanError(_memory_message(cols, gpus, capacity, arch, headroom),
                                  binding="memory", key="memory")
    on_time = fits & (True if deadline_h is None else days * 24 <= deadline_h)
    affordable = fits & (True if budget_usd is None else cost <= budget_usd)
    both = on_time & affordable
    if both.any():
        return both, dropped
    if not on_time.any():
        fastest = days[fits].min()
        over = fastest - deadline_h / 24
        raise InfeasiblePlanError(
            f"the deadline binds: the fastest configuration that fits takes {fastest:,.1f} "
            f"days, {over:,.1f} days ({over * 24 / deadline_h:.0%}) over the "
            f"{deadline_h / 24:g}-day deadline", binding="deadline", key="deadline",
            hint="Allow more time, more GPUs (--count) or a faster GPU.")
    if not affordable.any():
        # the relevant cheapest run is one that also meets the deadline, when there is one
        meets = " and meets the deadline" if deadline_h is not None else ""
        cheapest = cost[on_time].min()
        raise InfeasiblePlanError(
            f"the budget binds: the cheapest configuration that fits{meets} costs "
            f"{cheapest:,.0f} USD (typical), {cheapest - budget_usd:,.0f} USD "
            f"({cheapest / budget_usd - 1:.0%}) over the {budget_usd:,.0f} USD budget",
            binding="budget", key="budget", hint="Raise the budget or train on fewer tokens.")
    cheapest = cost[on_time].min()
    fastest = days[affordable].min()
    raise InfeasiblePlanError(
        f"the deadline and budget bind together: meeting the deadline costs at least "
        f"{cheapest:,.0f} USD ({cheapest / budget_usd - 1:.0%} over budget); within budget "
        f"the fastest run takes {fastest:,.1f} days ({fastest * 24 / deadline_h - 1:.0%} over "
        "the deadline)", binding="deadline and budget", key="budget",
        hint="Relax one of them.")


def _dropped_by_constraints(cols, deadline_h, budget_usd) -> dict:
    """GPU x layout rows dropped by memory, then deadline, then budget."""
    fits = cols["fits"]
    late = fits & (False if deadline_h is None else cols["wall_clock_days"] * 24 > deadline_h)
    dear = fits & ~late & (False if budget_usd is None
                           else cols["cost_usd_typical"] > budget_usd)
    return {k: int(np.count_nonzero(v)) for k, v in
            ((RULES[6], ~fits), (RULES[7], late), (RULES[8], dear)) if np.any(v)}


def _memory_message(cols, gpus, capacity, arch, headroom) -> str:
    best = np.argmin(cols["memory_gb_per_gpu"])
    g = cols["gpu_index"][best]
    usable = capacity[g] * (1 - headroom)
    acts = mem.memory_breakdown(arch.shape, tp=8, recompute=2,
                                params_scale=arch.params_scale)["activations"]
    extra = mem.GRADIENT_DTYPE_BYTES[mem.DEFAULT_GRADIENT_DTYPE] - mem.GRADIENT_BYTES
    need = mem.smallest_count_that_fits(arch.params_derived * arch.params_scale, acts,
                                        capacity[g], 8, 1, headroom, 12.0 + extra)
    more = (f"; with ZeRO-3, tensor parallel 8 and full recompute it takes at least "
            f"{need:,.0f} GPUs" if np.isfinite(need) else "")
    return (f"nothing fits in memory: the smallest need is "
            f"{cols['memory_gb_per_gpu'][best]:,.1f} GB per {gpus[g].id} with "
            f"{cols['count'][best]:,} GPUs, {usable:,.1f} GB usable{more}")


def _option_label(profile, index: int, kinds) -> str:
    """A GPU, or with tier / class axes "GPU tier class" (class "all" for every class)."""
    if kinds is None:
        return profile.id
    return f"{profile.id} {kinds[0][index]} {kinds[1][index] or 'all'}"


def _searched_labels(gpus, kinds) -> list:
    return list(dict.fromkeys(_option_label(p, i, kinds) for i, p in enumerate(gpus)))


def _frame(cols, ok, gpus, kinds=None) -> pd.DataFrame:
    frame = pd.DataFrame({k: v[ok] for k, v in cols.items()})
    entry = frame.pop("gpu_index").to_numpy()
    frame["gpu"] = np.array([p.id for p in gpus])[entry]
    frame["option"] = np.array([_option_label(p, i, kinds) for i, p in enumerate(gpus)])[entry]
    if kinds is not None:
        frame["tier"] = np.array(kinds[0])[entry]
        frame["provider_class"] = np.array([c or "all" for c in kinds[1]])[entry]
    frame["recompute"] = np.array(tf.RECOMPUTE)[frame.pop("recompute_code").to_numpy()]
    # ties: the least split layout (tp x pp, then ZeRO stage, then expert parallel)
    frame["simplicity"] = (frame["tp"] * frame["pp"] * 1000 + frame["zero"] * 100
                           + frame["ep"] * 10 + frame["micro_batch"])
    return frame.sort_values(["cost_usd_typical", "wall_clock_days", "simplicity"],
                             kind="stable")


def _ranked(cols, ok, gpus, top, kinds=None) -> pd.DataFrame:
    frame = _frame(cols, ok, gpus, kinds).drop_duplicates(["option", "count"])
    cheapest = frame.iloc[:1].assign(pick="cheapest")
    fastest = frame.sort_values(["wall_clock_days", "cost_usd_typical"], kind="stable"
                                ).iloc[:1].assign(pick="fastest")
    rest = frame.drop(index=cheapest.index.union(fastest.index)).assign(pick="")
    out = pd.concat([cheapest, fastest, rest]).drop_duplicates(["option", "count"]).head(top)
    auto = [c for c in mfu_auto.PLAN_COLUMNS if c in out]
    return out[_table_columns(kinds) + auto + ["global_batch", "training_flop"]].reset_index(
        drop=True)


def _table_columns(kinds) -> list:
    """PLAN_TABLE, with tier and provider_class after gpu when they are axes."""
    if kinds is None:
        return list(PLAN_TABLE)
    at = PLAN_TABLE.index("gpu") + 1
    return PLAN_TABLE[:at] + ["tier", "provider_class"] + PLAN_TABLE[at:]


def _best_per_gpu(cols, ok, gpus, deadline_h, budget_usd, kinds=None) -> pd.DataFrame:
    """Each GPU's best alternative: its cheapest feasible layout; else its cheapest on-time
    layout (over the budget), else its fastest layout that fits (misses the deadline);
    else a row of NaN ("nothing fits in memory"). ``status`` says which. With tier / class
    axes, one row per GPU x class x tier, indexed "GPU tier class"."""
    fits = cols["fits"]
    on_time = fits & (True if deadline_h is None else cols["wall_clock_days"] * 24
                      <= deadline_h)
    best = _frame(cols, ok, gpus, kinds).drop_duplicates(["option"]).set_index("option")
    best["status"] = "feasible"
    dear = _frame(cols, on_time & ~ok, gpus, kinds).drop_duplicates(["option"]).set_index(
        "option")
    dear["status"] = "over the budget"
    late = _frame(cols, fits & ~on_time, gpus, kinds).sort_values(
        ["wall_clock_days", "cost_usd_typical"], kind="stable").drop_duplicates(["option"])
    late = late.set_index("option").assign(status="misses the deadline")
    table = pd.concat([best, dear, late])
    table = table[~table.index.duplicated()].reindex(_searched_labels(gpus, kinds))
    table.index.name = "gpu"
    table["status"] = table["status"].fillna("nothing fits in memory")
    return table[[c for c in _table_columns(kinds) if c not in ("pick", "gpu")] + ["status"]]
