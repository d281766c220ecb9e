"""plan(): which GPUs, how many and in what parallel layout train a model by a deadline,
within a budget — searched in one vectorised pass over every candidate configuration.

Formulas live in estimator/models/ (transformer_flops, memory, goodput); this module builds
the candidate grid, prices it with the profiles' bands and picks the cheapest and fastest.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from estimator.calc.estimate import price_bands, resolve_gpus, to_date
from estimator.data.architectures import closest_architecture, get_architecture
from estimator.data.fx import parsed_usd
from estimator.errors import EstimatorError, InputError
from estimator.inputs.axes import as_list, product_indices
from estimator.inputs.request import parse_axis, parse_quantity, parse_quantity_range, parse_scalar
from estimator.models import goodput as gp
from estimator.models import memory as mem
from estimator.models import transformer_flops as tf

DEFAULT_GPUS = ("H100", "H200", "A100")

DEFAULT_MFU = (0.38, 0.462)
"""MFU range: Llama 3 405B pre-training reached 38-43% BF16 MFU on 8K-16K H100s (Llama 3
report, arXiv 2407.21783, Table 4); PaLM 540B 46.2% on 6,144 TPU v4 (Chowdhery et al. 2022,
arXiv 2204.02311, Table 3). Low MFU gives the high GPU-hours and cost, and vice versa."""

TENSOR_PARALLEL = (1, 2, 4, 8)
"""Tensor-parallel sizes searched: within one 8-GPU NVLink server, where Megatron-LM keeps
tensor parallelism (Narayanan et al. 2021, arXiv 2104.04473, sec. 3.2)."""

PIPELINE_PARALLEL = (1, 2, 4, 8, 16, 32)
"""Pipeline-parallel sizes searched (each must divide the layer count)."""

DEFAULT_MAX_BATCH_TOKENS = 16_000_000

SHAPE_BORROW_FACTOR = 4.0
"""A model without a stated shape borrows the layers, hidden size and heads of the built-in
dense model closest in size only within this factor of its parameter count: a 1-parameter
model has no transformer shape (7B's would be assumed, 52 GB per GPU for one token)."""

MAX_PLAN_COUNTS = 10_000
"""Most GPU counts one search compares [values]: every count expands to its layouts in
memory; 10,000 counts (``--count 1..10000``) peak at ~1.1 GB (measured; README "Limits")."""
"""Largest global batch searched [tokens]: Llama 3 405B ended pre-training at a 16M-token
batch (Llama 3 report, arXiv 2407.21783, sec. 3.4.1); dp x micro-batch x sequence <= this."""

DEFAULT_COUNTS = np.unique(np.concatenate([8 * 2 ** np.arange(14),
                                           12 * 2 ** np.arange(13)]))
"""GPU counts searched by default: 8, 12, 16, 24, ... 65,536 (whole 8-GPU servers)."""

PLAN_TABLE = ["pick", "gpu", "count", "tp", "pp", "dp", "zero", "recompute",
              "memory_gb_per_gpu", "fits", "wall_clock_days", "gpu_hours", "goodput",
              "cost_usd_low", "cost_usd_typical", "cost_usd_high"]


class InfeasiblePlanError(InputError):
    """No candidate meets every constraint; ``binding`` names the one that binds."""

    def __init__(self, message: str, *, binding: str, **kwargs):
        super().__init__(message, **kwargs)
        self.binding = binding


def evaluate(gpu_index, count, tp, pp, zero, recompute, *, model: dict, peak_tflops,
             memory_gb, bands, mfu_low, mfu_high, headroom=mem.DEFAULT_HEADROOM,
             micro_batch=1, failures_per_gpu_hour=gp.DEFAULT_FAILURES_PER_GPU_HOUR,
             checkpoint_hours=gp.DEFAULT_CHECKPOINT_WRITE_HOURS,
             restart_hours=gp.DEFAULT_RESTART_HOURS) -> dict:
    """Every column of every candidate, as flat numpy arrays (one element per candidate).

    ``gpu_index`` indexes ``peak_tflops`` [TFLOP/s], ``memory_gb`` [GB] and ``bands``
    ([n, 3] USD per GPU-hour); ``model`` holds params, active_params, layers, hidden, heads,
    seq_len and tokens. GPU-hours = training FLOP / (peak x MFU x 3600) / goodput.
    """
    dp = count // (tp * pp)
    flop = tf.training_flop(model["params"], model["tokens"], model["layers"],
                            model["hidden"], model["seq_len"], recompute,
                            model["active_params"])
    per_gpu_flop_s = peak_tflops[gpu_index] * 1e12 * 3600.0
    share = gp.goodput(count, failures_per_gpu_hour, checkpoint_hours, restart_hours)
    hours_mid = gp.planned_gpu_hours(flop / (per_gpu_flop_s * (mfu_low + mfu_high) / 2), share)
    hours_low = gp.planned_gpu_hours(flop / (per_gpu_flop_s * mfu_high), share)
    hours_high = gp.planned_gpu_hours(flop / (per_gpu_flop_s * mfu_low), share)
    need = mem.memory_per_gpu_bytes(model["params"], model["layers"], model["seq_len"],
                                    model["hidden"], model["heads"], tp, pp, dp, zero,
                                    recompute, micro_batch)
    band = bands[gpu_index]
    return {"gpu_index": gpu_index, "count": count, "tp": tp, "pp": pp, "dp": dp,
            "zero": zero, "recompute_code": recompute, "training_flop": flop,
            "memory_gb_per_gpu": need / mem.GB,
            "fits": need <= mem.usable_bytes(memory_gb[gpu_index], headroom),
            "wall_clock_days": hours_mid / count / 24.0, "gpu_hours": hours_mid,
            "goodput": share, "cost_usd_low": hours_low * band[:, 0],
            "cost_usd_typical": hours_mid * band[:, 1], "cost_usd_high": hours_high * band[:, 2]}


def candidate_grid(n_gpus: int, counts, layers: int, zero=mem.ZERO_STAGES,
                   recompute=(0, 1, 2), tp=TENSOR_PARALLEL, pp=PIPELINE_PARALLEL) -> tuple:
    """(gpu_index, count, tp, pp, zero, recompute) arrays of the valid layouts: tp x pp
    divides the count and pp divides the layers."""
    axes = [np.arange(n_gpus), np.asarray(counts, dtype=np.int64), np.asarray(tp),
            np.asarray(pp), np.asarray(zero), np.asarray(recompute)]
    idx = product_indices([len(a) for a in axes])
    g, c, t, p, z, r = (a[i] for a, i in zip(axes, idx))
    ok = (c % (t * p) == 0) & (layers % p == 0)
    return g[ok], c[ok], t[ok], p[ok], z[ok], r[ok]


def plan(params=None, tokens=None, *, model=None, gpu=DEFAULT_GPUS, deadline=None,
         budget=None, mfu=None, count=None, seq_len=None, recompute=None, zero=None,
         layers=None, hidden=None, heads=None, active_params=None, micro_batch=1,
         precision="bf16", price=None, as_of=None, fx_date=None,
         failures_per_gpu_hour=gp.DEFAULT_FAILURES_PER_GPU_HOUR,
         checkpoint_hours=gp.DEFAULT_CHECKPOINT_WRITE_HOURS,
         restart_hours=gp.DEFAULT_RESTART_HOURS, headroom=mem.DEFAULT_HEADROOM,
         max_batch_tokens=DEFAULT_MAX_BATCH_TOKENS, top=10, profiles=None) -> pd.DataFrame:
    """Ranked configurations that fit in memory and meet the deadline and budget.

    Parameters
    ----------
    params, tokens : numeric or text
        Parameters ("70B") and training tokens ("2T"); ``params`` defaults to ``model``'s.
    model : str, optional
        A built-in architecture ("llama-3-70b"; see architectures.yaml). Without it, and
        without layers/hidden/heads, the shape of the built-in dense model closest in size
        is used (said in ``attrs["notes"]``).
    gpu : str or list
        GPUs to compare (default H100, H200, A100).
    deadline : text or hours, optional
        Wall-clock limit ("30d"); ``budget``: typical rental cost limit ("5M", "4M EUR").
    mfu : number or "low:high", optional
        Utilisation of the counted training FLOP (default 0.38:0.462, DEFAULT_MFU).
    count, zero, recompute : optional
        Restrict the search (default: counts 8..65,536, ZeRO 0-3, none/selective/full).
    price, as_of, fx_date : as in estimate(); price bands come from the profiles.

    Returns
    -------
    DataFrame with PLAN_TABLE columns: the cheapest row first (pick "cheapest"), the
    fastest next (pick "fastest"), then the other configurations by typical cost, at most
    ``top`` rows, one layout (the cheapest, then simplest) per GPU and count. Raises
    InfeasiblePlanError naming the binding constraint when nothing qualifies.
    """
    as_of, fx_date = to_date(as_of, "as_of"), to_date(fx_date, "fx_date")
    shape, notes = _model_shape(params, tokens, model, layers, hidden, heads, seq_len,
                                active_params)
    gpus = resolve_gpus(gpu, profiles)
    peaks, capacity = _gpu_specs(gpus, precision)
    _, table, _ = price_bands(gpus, price, as_of=as_of, fx_date=fx_date)
    bands = table[[0] * len(gpus)] if price is not None else table
    mfu_low, mfu_high = _mfu_range(mfu)
    counts = DEFAULT_COUNTS if count is None else parse_axis(count, "count", "count")
    if counts.size > MAX_PLAN_COUNTS:
        raise InputError(f"{counts.size:,} GPU counts to compare, more than the "
                         f"{MAX_PLAN_COUNTS:,} one search holds in memory", key="count",
                         hint="Use a coarser step (--count 8..65536..8) or a shorter range.")
    grid = candidate_grid(len(gpus), counts.astype(np.int64), int(shape["layers"]),
                          _zero_stages(zero), _recompute_codes(recompute))
    dp_max = max_batch_tokens / (micro_batch * shape["seq_len"])
    grid = tuple(a[grid[1] // (grid[2] * grid[3]) <= dp_max] for a in grid)
    if grid[0].size == 0:
        raise InputError("no GPU count splits into a tensor x pipeline x data layout within "
                         f"the {max_batch_tokens:,.0f}-token batch limit", key="count",
                         hint="Use counts that are multiples of 8, or fewer GPUs.")
    cols = evaluate(*grid, model=shape, peak_tflops=peaks, memory_gb=capacity, bands=bands,
                    mfu_low=mfu_low, mfu_high=mfu_high, headroom=headroom,
                    micro_batch=micro_batch, failures_per_gpu_hour=failures_per_gpu_hour,
                    checkpoint_hours=checkpoint_hours, restart_hours=restart_hours)
    deadline_h = None if deadline is None else parse_scalar(deadline, "hours", key="deadline")
    budget_usd = None if budget is None else parsed_usd(
        parse_quantity(budget, "money", key="budget"), fx_date or as_of, "budget")
    if budget_usd is not None and not budget_usd > 0:
        raise InputError(f"a budget of {budget!r} leaves nothing to spend", key="budget",
                         hint="Give the most the run may cost, e.g. --budget 5M; leave it out "
                              "for no limit.")
    ok = _feasible(cols, deadline_h, budget_usd, gpus, capacity, shape, headroom)
    frame = _ranked(cols, ok, gpus, top)
    frame.attrs["notes"] = notes
    frame.attrs["flop_formula"] = tf.formula_name("none", True, shape["active_params"]
                                                  < shape["params"])
    return frame


def _model_shape(params, tokens, model, layers, hidden, heads, seq_len, active_params):
    if tokens is None:
        raise InputError("give the training tokens", key="tokens", hint="E.g. --tokens 2T.")
    notes = []
    arch = get_architecture(model) if model is not None else None
    if arch is None and params is None:
        raise InputError("give params or a model", key="params",
                         hint="E.g. --params 70B, or --model llama-3-70b.")
    n = parse_scalar(params, "params", key="params") if params is not None else arch.params
    if arch is None and None in (layers, hidden, heads):
        arch = closest_architecture(n)
        if not arch.params / SHAPE_BORROW_FACTOR <= n <= arch.params * SHAPE_BORROW_FACTOR:
            raise InputError(f"no built-in model shape is near {n:.4g} parameters (the "
                             f"closest, {arch.name}, has {arch.params:.4g})", key="params",
                             hint="Pass --layers, --hidden and --heads for this model, or "
                                  "--model NAME; check the suffix (70B, not 70).")
        notes.append(f"layers, hidden size and heads taken from {arch.name} (the built-in "
                     "model closest in size); pass --layers/--hidden/--heads or --model")

    def pick(value, attr):
        if value is None:
            return getattr(arch, attr)
        words = {"seq_len": "tokens per sequence", "layers": "layers", "hidden": "hidden size",
                 "heads": "attention heads"}[attr]
        try:
            number = parse_scalar(value, "number", key=attr)
        except InputError:
            number = math.nan
        if not (number >= 1 and number == math.floor(number) and number <= 1e9):
            raise InputError(f"{attr.replace('_', '-')} is the number of {words}: a whole "
                             f"number from 1 to 1e9, got {value!r}", key=attr,
                             hint=f"E.g. --{attr.replace('_', '-')} "
                                  f"{int(getattr(arch, attr)) if arch else 4096}.")
        return number
    active = (parse_scalar(active_params, "params", key="active_params")
              if active_params is not None else (arch.active_params if params is None else n))
    if active > n:
        raise InputError(f"active parameters {active:.4g} are more than the {n:.4g} parameters "
                         "of the model", key="active_params",
                         hint="Active parameters (MoE: those used per token) are at most the "
                              "total: swap the two, or check the suffixes (B, T).")
    return {"params": n, "active_params": active, "layers": pick(layers, "layers"),
            "hidden": pick(hidden, "hidden"), "heads": pick(heads, "heads"),
            "seq_len": pick(seq_len, "seq_len"),
            "tokens": parse_scalar(tokens, "tokens", key="tokens")}, notes


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
        return DEFAULT_MFU
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


def _feasible(cols, deadline_h, budget_usd, gpus, capacity, shape, headroom) -> np.ndarray:
    """Candidates meeting every constraint; InfeasiblePlanError naming the binding one."""
    fits = cols["fits"]
    if not fits.any():
        raise InfeasiblePlanError(_memory_message(cols, gpus, capacity, shape, headroom),
                                  binding="memory", key="memory")
    days = cols["wall_clock_days"]
    cost = cols["cost_usd_typical"]
    on_time = fits & (True if deadline_h is None else days * 24 <= deadline_h)
    affordable = fits & (True if budget_usd is None else cost <= budget_usd)
    both = on_time & affordable
    if both.any():
        return both
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


def _memory_message(cols, gpus, capacity, shape, headroom) -> str:
    best = np.argmin(cols["memory_gb_per_gpu"])
    g = cols["gpu_index"][best]
    usable = capacity[g] * (1 - headroom)
    acts = mem.activation_bytes(shape["layers"], shape["seq_len"], shape["hidden"],
                                shape["heads"], 1, 8, 2)
    need = mem.smallest_count_that_fits(shape["params"], acts, capacity[g], 8, 1, headroom)
    more = (f"; with ZeRO-3, tensor parallel 8 and full recompute it takes at least "
            f"{need:,.0f} GPUs" if np.isfinite(need) else "")
    return (f"nothing fits in memory: the smallest need is "
            f"{cols['memory_gb_per_gpu'][best]:,.1f} GB per {gpus[g].id} with "
            f"{cols['count'][best]:,} GPUs, {usable:,.1f} GB usable{more}")


def _ranked(cols, ok, gpus, top) -> pd.DataFrame:
    keep = {k: v[ok] for k, v in cols.items()}
    frame = pd.DataFrame(keep)
    frame["gpu"] = np.array([p.id for p in gpus])[frame.pop("gpu_index").to_numpy()]
    frame["recompute"] = np.array(tf.RECOMPUTE)[frame.pop("recompute_code").to_numpy()]
    frame["simplicity"] = frame["tp"] * frame["pp"] * 10 + frame["zero"]  # ties: least split
    frame = frame.sort_values(["cost_usd_typical", "wall_clock_days", "simplicity"],
                              kind="stable").drop_duplicates(["gpu", "count"])
    cheapest = frame.iloc[:1].assign(pick="cheapest")
    fastest = frame.sort_values(["wall_clock_days", "cost_usd_typical"], kind="stable"
                                ).iloc[:1].assign(pick="fastest")
    rest = frame.drop(index=cheapest.index.union(fastest.index)).assign(pick="")
    out = pd.concat([cheapest, fastest, rest]).drop_duplicates(["gpu", "count"]).head(top)
    return out[PLAN_TABLE + ["training_flop"]].reset_index(drop=True)
