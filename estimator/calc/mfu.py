"""Predicted MFU for a layout on a GPU (`--mfu auto`), its range, and the anchor check.

The time model is models/step_time.py; the per-generation speeds models/link_defaults.py; the
published runs data/mfu_anchors.py. The range around a prediction is the model's error on the
anchors: mfu_low = predicted x min(reported / predicted), mfu_high = predicted x max(...),
over the anchors the issue names (held-out runs are not used).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from estimator.bands import Range
from estimator.data.architectures import get_architecture
from estimator.data.mfu_anchors import ANCHORS, HELD_OUT, Anchor
from estimator.data.profiles import HardwareProfile, load_profiles
from estimator.errors import InputError, unknown_name
from estimator.inputs.axes import as_list
from estimator.inputs.request import parse_scalar
from estimator.models import link_defaults, step_time
from estimator.models.transformer_flops import recompute_code

LAYOUT_KEYS = ("tp", "pp", "dp", "micro_batch", "global_batch", "interleave")
SHAPE_KEYS = ("layers", "hidden", "heads", "seq_len", "vocab", "params")
SPEED_KEYS = ("matmul_fraction", "kernel_efficiency", "tp_gb_per_s", "dp_gb_per_s",
              "latency_s")
SHARE_COLUMNS = tuple(f"time_share_{name}" for name in step_time.SHARE_NAMES)


def profile_speeds(profile: HardwareProfile, *, matmul_fraction=None, kernel_efficiency=None,
                   tp_gb_per_s=None, dp_gb_per_s=None, latency_s=None) -> dict:
    """Speeds of ``profile`` for the step-time model: options first, then the profile's specs
    (HBM; NVLink halved to one direction, as the datasheets give both directions together),
    then the generation's defaults (models/link_defaults.py). InputError when one is missing."""
    table = link_defaults.defaults_for(profile.architecture)
    nvlink = profile.spec("nvlink_gb_per_s")
    hbm = profile.spec("memory_bandwidth_tb_per_s")
    speeds = {
        "matmul_fraction": matmul_fraction if matmul_fraction is not None else (
            table.matmul_fraction if table else None),
        "kernel_efficiency": (link_defaults.KERNEL_EFFICIENCY if kernel_efficiency is None
                              else kernel_efficiency),
        "tp_gb_per_s": tp_gb_per_s if tp_gb_per_s is not None else (
            nvlink / 2.0 if nvlink else (table.tp_gb_per_s if table else None)),
        "dp_gb_per_s": dp_gb_per_s if dp_gb_per_s is not None else (
            table.dp_gb_per_s if table else None),
        "latency_s": link_defaults.LATENCY_S if latency_s is None else latency_s,
        "hbm_tb_per_s": hbm,
    }
    missing = [k for k, v in speeds.items() if v is None]
    if missing:
        key = missing[0]
        raise InputError(
            f"{profile.name}: no {key} for --mfu auto (its architecture "
            f"{profile.architecture!r} has no default)", key=key,
            hint="Give it as an option (e.g. --matmul-fraction 0.8 --dp-gb-per-s 50) or use a "
            "GPU of a known generation: " + ", ".join(sorted(link_defaults.DEFAULTS)) + ".")
    for key, value in speeds.items():
        if not np.isfinite(value) or value <= 0:
            raise InputError(f"{key} must be a positive number, got {value!r}", key=key)
    if speeds["matmul_fraction"] > 1 or speeds["kernel_efficiency"] > 1:
        raise InputError("matmul_fraction and kernel_efficiency are fractions of peak (<= 1)",
                         key="matmul_fraction")
    return speeds


def predict(profile: HardwareProfile, shape: dict, layout: dict, *, precision="bf16",
            recompute="none", sequence_parallel=True, dp_overlap=None, zero=0,
            flash_attention=True, **speeds) -> dict:
    """The step-time model for ``profile`` (arrays in ``shape``/``layout`` broadcast).

    ``shape``: layers, hidden, heads, seq_len, vocab, params; ``layout``: tp, pp, dp,
    micro_batch, global_batch, interleave. ``dp_overlap`` defaults to true when the layout
    has no pipeline (sharded data parallelism prefetches), false otherwise (Megatron-LM 2021).
    ``flash_attention``: fused attention without the s^2 memory traffic (models/step_time.py;
    on by default, as in `plan`'s memory model and today's training stacks; off for runs before
    FlashAttention, 2022).
    Returns models.step_time.step_time's dict plus ``mfu_predicted``, ``mfu_low`` and
    ``mfu_high`` (the anchors' error band)."""
    rates = profile_speeds(profile, **speeds)
    code = int(recompute_code(recompute)) if isinstance(recompute, str) else recompute
    if dp_overlap is None:
        dp_overlap = np.asarray(layout["pp"]) == 1
    out = step_time.step_time(**shape, **layout, peak_tflops=profile.peak_tflops(precision),
                              recompute=code, sequence_parallel=sequence_parallel,
                              dp_overlap=dp_overlap, zero=zero,
                              flash_attention=flash_attention, **rates)
    low, high = error_band()
    out["mfu_predicted"] = out["mfu"]
    out["mfu_low"] = out["mfu"] * low
    out["mfu_high"] = np.minimum(out["mfu"] * high, 1.0)
    return out


def _anchor_prediction(anchor: Anchor) -> dict:
    profile = load_profiles().get(anchor.gpu)
    shape = {k: getattr(anchor, k) for k in SHAPE_KEYS}
    layout = {k: getattr(anchor, k) for k in LAYOUT_KEYS}
    rates = profile_speeds(profile, dp_gb_per_s=anchor.dp_gb_per_s)
    out = step_time.step_time(**shape, **layout, peak_tflops=profile.peak_tflops("bf16"),
                              recompute=int(recompute_code(anchor.recompute)),
                              sequence_parallel=anchor.sequence_parallel,
                              dp_overlap=anchor.dp_overlap, zero=anchor.zero,
                              flash_attention=anchor.flash_attention,
                              distribute_checkpoints=anchor.distribute_checkpoints, **rates)
    peak = profile.peak_tflops("bf16")
    predicted = {"mfu": float(out["mfu"]), "hardware_tflops": float(out["hfu"]) * peak,
                 "model_tflops": float(out["mfu"]) * peak}[anchor.basis]
    return {"predicted": predicted, "mfu": float(out["mfu"]),
            **{k: float(out[k]) for k in SHARE_COLUMNS}}


def anchor_table(held_out: bool = False) -> pd.DataFrame:
    """Predicted vs reported for every published anchor run (data/mfu_anchors.py).

    Parameters
    ----------
    held_out : bool
        The held-out runs (not used to choose the model's rules) instead of the anchors.

    Returns
    -------
    pandas.DataFrame
        One row per run: id, name, gpu, gpus, tp, pp, dp, micro_batch, global_batch,
        interleave, recompute, basis (mfu, hardware_tflops or model_tflops), reported,
        predicted (on the same basis: [fraction] or [TFLOP/s per GPU]), error
        (predicted / reported - 1), mfu_predicted [fraction], time_share_* [fraction],
        source, assumed.
    """
    rows = []
    for anchor in (HELD_OUT if held_out else ANCHORS):
        result = _anchor_prediction(anchor)
        rows.append({"id": anchor.id, "name": anchor.name, "gpu": anchor.gpu,
                     "gpus": anchor.gpus, **{k: getattr(anchor, k) for k in LAYOUT_KEYS},
                     "recompute": anchor.recompute, "basis": anchor.basis,
                     "reported": anchor.reported, "predicted": result["predicted"],
                     "error": result["predicted"] / anchor.reported - 1.0,
                     "mfu_predicted": result["mfu"],
                     **{k: result[k] for k in SHARE_COLUMNS},
                     "source": anchor.source, "assumed": anchor.assumed})
    return pd.DataFrame(rows)


@functools.lru_cache(maxsize=1)
def error_band() -> tuple[float, float]:
    """(min, max) of reported / predicted over the anchors: multiply a prediction by these
    to get the range the anchors support."""
    table = anchor_table()
    ratio = table["reported"] / table["predicted"]
    return float(ratio.min()), float(ratio.max())


def architecture_shape(model=None, *, params=None, layers=None, hidden=None, heads=None,
                       seq_len=None, vocab=None) -> dict:
    """The shape for the step-time model: a built-in ``model`` (data/architectures.yaml)
    with any explicit value overriding it. InputError naming the first missing key."""
    base = {}
    if model is not None:
        arch = get_architecture(model)
        base = {"params": arch.params, "layers": arch.layers, "hidden": arch.hidden,
                "heads": arch.heads, "seq_len": arch.seq_len, "vocab": arch.vocab}
    given = {"params": params, "layers": layers, "hidden": hidden, "heads": heads,
             "seq_len": seq_len, "vocab": vocab}
    shape = {k: (v if v is not None else base.get(k)) for k, v in given.items()}
    missing = [k for k, v in shape.items() if v is None]
    if missing:
        raise InputError(f"--mfu auto needs the model's {', '.join(missing)}",
                         key=missing[0], hint="Pass --model (e.g. gpt-3-175b) or --layers, "
                         "--hidden, --heads, --seq-len and --vocab.")
    return {k: float(v) for k, v in shape.items()}


def complete_layout(*, tp=None, pp=None, dp=None, micro_batch=None, global_batch=None,
                    interleave=None, count=None) -> dict:
    """tp, pp, dp, micro_batch, global_batch, interleave as floats, dp from ``count`` when not
    given; InputError when they do not fit together (batch = dp x micro x accumulation)."""
    tp, pp = tp or 1, pp or 1
    micro_batch, interleave = micro_batch or 1, interleave or 1
    if dp is None:
        if count is None:
            raise InputError("--mfu auto needs --dp or --count", key="dp",
                             hint="E.g. --tp 8 --pp 8 --dp 16, or --count 1024 --tp 8 --pp 8.")
        dp = count / (tp * pp)
        if dp != int(dp) or dp < 1:
            raise InputError(f"count {count:g} is not a multiple of tp x pp = {tp * pp:g}",
                             key="count")
    elif count is not None and count != tp * pp * dp:
        raise InputError(f"count {count:g} differs from tp x pp x dp = {tp * pp * dp:g}",
                         key="count")
    if global_batch is None:
        raise InputError("--mfu auto needs --global-batch (sequences per step)",
                         key="global_batch", hint="E.g. --global-batch 1536.")
    accumulation = global_batch / (dp * micro_batch)
    if accumulation != int(accumulation) or accumulation < 1:
        raise InputError(f"global batch {global_batch:g} is not a multiple of dp x micro-batch "
                         f"= {dp * micro_batch:g}", key="global_batch")
    return {"tp": float(tp), "pp": float(pp), "dp": float(dp),
            "micro_batch": float(micro_batch), "global_batch": float(global_batch),
            "interleave": float(interleave)}


def is_auto(mfu) -> bool:
    """True for ``mfu="auto"`` (the step-time prediction)."""
    return isinstance(mfu, str) and mfu.strip().lower() == "auto"


LAYOUT_OPTIONS = ("tp", "pp", "dp", "micro_batch", "global_batch", "interleave")
MODEL_OPTIONS = ("model", "heads", "vocab")
OPTIONS = LAYOUT_OPTIONS + MODEL_OPTIONS + SPEED_KEYS + ("sequence_parallel", "dp_overlap",
                                                         "zero", "flash_attention")
"""Keys of the ``layout`` mapping compute(mfu="auto", layout=...) accepts."""


def auto_inputs(layout: dict | None, *, params=None, layers=None, hidden=None, seq_len=None,
                count=None) -> tuple[dict, dict, dict]:
    """(shape, layout, options) for :func:`predict` from a compute() call: ``layout`` holds
    tp, pp, dp, micro_batch, global_batch, interleave, model, heads, vocab and the speed
    overrides (matmul_fraction, kernel_efficiency, tp_gb_per_s, dp_gb_per_s, latency_s,
    sequence_parallel, dp_overlap, flash_attention) and the ZeRO stage ``zero``; numbers may
    be text ("8").
    InputError on an unknown key."""
    given = dict(layout or {})
    unknown = sorted(set(given) - set(OPTIONS))
    if unknown:
        raise unknown_name("layout key", unknown[0], OPTIONS, key="layout")

    def number(key, value, kind="count"):
        return None if value is None else parse_scalar(value, kind, key=key)

    counts = {k: number(k, given.get(k)) for k in LAYOUT_OPTIONS}
    shape = architecture_shape(
        given.get("model"), params=number("params", params, "params"),
        layers=number("layers", layers), hidden=number("hidden", hidden),
        heads=number("heads", given.get("heads")), seq_len=number("seq_len", seq_len),
        vocab=number("vocab", given.get("vocab")))
    if count is not None:
        values = as_list(count)
        if len(values) != 1:
            raise InputError("--mfu auto takes one --count (the layout's GPUs)", key="count")
        count = parse_scalar(values[0], "count", key="count")
    full = complete_layout(**counts, count=count)
    options = {k: number(k, given.get(k), "fraction" if k in (
        "matmul_fraction", "kernel_efficiency") else "number") for k in SPEED_KEYS}
    options = {k: v for k, v in options.items() if v is not None}
    for flag in ("sequence_parallel", "dp_overlap", "flash_attention"):
        if given.get(flag) is not None:
            options[flag] = bool(given[flag])
    if given.get("zero") is not None:
        zero = str(given["zero"]).strip().removesuffix(".0")
        if zero not in ("0", "1", "2", "3"):
            raise InputError(f"zero must be a ZeRO stage 0-3, got {given['zero']!r}",
                             key="zero")
        options["zero"] = int(zero)
    return shape, full, options


def stage_band(profile: HardwareProfile, layout: dict, *, params=None, count=None,
               precision="bf16") -> Range:
    """A scenario stage's ``mfu: auto`` as a Range: typical = the prediction for ``layout``
    (a scenario's layout mapping: tp, pp, dp, micro_batch, global_batch, interleave,
    recompute, model or layers/hidden/heads/seq_len/vocab, speed overrides), low/high = the
    anchors' error band; rule "predicted". ``params`` and ``count`` come from the stage."""
    given = dict(layout)
    recompute = given.pop("recompute", None) or "none"
    shape_keys = {k: given.pop(k, None) for k in ("layers", "hidden", "seq_len")}
    shape, grid, speeds = auto_inputs(given, params=params, count=count, **shape_keys)
    out = predict(profile, shape, grid, precision=precision, recompute=recompute, **speeds)
    low, typical, high = (float(out[k]) for k in ("mfu_low", "mfu_predicted", "mfu_high"))
    return Range(low, typical, high, rule="predicted",
                source="step-time model (estimator/calc/mfu.py; Narayanan et al. 2021), "
                "range = its error on published runs",
                note=", ".join(f"{k} {float(out[k]):.0%}" for k in SHARE_COLUMNS))


def scaling(gpu, *, model=None, params=None, layers=None, hidden=None, heads=None,
            seq_len=None, vocab=None, tp=1, pp=1, micro_batch=1, global_batch=None,
            interleave=1, recompute="none", precision="bf16", profiles=None,
            flash_attention=True) -> pd.DataFrame:
    """Predicted MFU against GPU count for one layout family: ``tp`` x ``pp`` fixed, data
    parallelism d over every divisor of ``global_batch`` / ``micro_batch`` (strong scaling:
    the same batch split over more replicas, so fewer micro-batches per pipeline).

    Columns: gpus, dp, micro_batches, mfu_predicted, mfu_low, mfu_high, step_seconds,
    time_share_*."""
    profile = load_profiles(profiles).get(gpu)
    shape = architecture_shape(model, params=params, layers=layers, hidden=hidden,
                               heads=heads, seq_len=seq_len, vocab=vocab)
    grid = complete_layout(tp=tp, pp=pp, dp=1, micro_batch=micro_batch,
                           global_batch=global_batch, interleave=interleave)
    replicas = int(grid["global_batch"] // grid["micro_batch"])
    dp = np.array([d for d in range(1, replicas + 1) if replicas % d == 0], dtype=float)
    out = predict(profile, shape, {**grid, "dp": dp}, precision=precision,
                  recompute=recompute, flash_attention=flash_attention)
    frame = pd.DataFrame({"gpus": grid["tp"] * grid["pp"] * dp, "dp": dp,
                          "micro_batches": out["micro_batches"],
                          "mfu_predicted": out["mfu_predicted"], "mfu_low": out["mfu_low"],
                          "mfu_high": out["mfu_high"], "step_seconds": out["step_s"],
                          **{k: out[k] for k in SHARE_COLUMNS}})
    frame.attrs.update(gpu=profile.id, architecture=profile.architecture)
    return frame


def anchors_for_plot() -> pd.DataFrame:
    """Every anchor and held-out run as (name, gpu, architecture, gpus, mfu_reported): the
    reported figure on the MFU basis (a hardware TFLOP/s figure scaled by the model's ratio of
    model to hardware FLOP for that run), and ``held_out``."""
    rows = []
    for held_out in (False, True):
        table = anchor_table(held_out=held_out)
        for r in table.itertuples():
            rows.append({"name": r.name, "gpu": r.gpu, "gpus": r.gpus,
                         "architecture": load_profiles().get(r.gpu).architecture,
                         "mfu_reported": r.mfu_predicted * r.reported / r.predicted,
                         "held_out": held_out})
    return pd.DataFrame(rows)


PLAN_COLUMNS = ("mfu_predicted", "mfu_low", "mfu_high", *SHARE_COLUMNS)
"""Columns `plan --mfu auto` adds to each layout row."""


def layout_prediction(arch, layout: dict, gpu_index, gpus, precision="bf16", *,
                      flash_attention=True, sequence_parallel=True) -> tuple:
    """The step-time model on `plan`'s layout table (calc/plan.py, one row per layout x GPU):
    ``arch`` a ResolvedArchitecture (its shape; N = the active parameters), ``layout`` arrays
    tp, pp, dp, micro_batch, global_batch, recompute_code; ``gpu_index`` indexes ``gpus``;
    ``flash_attention`` and ``sequence_parallel`` as plan's memory model assumes them.

    Returns (columns, skipped): PLAN_COLUMNS as arrays (NaN on rows of a GPU without
    step-time defaults) and the ids of those GPUs."""
    index = np.asarray(gpu_index)
    out = {k: np.full(index.size, np.nan) for k in PLAN_COLUMNS}
    s = arch.shape
    shape = {"layers": s.layers, "hidden": s.hidden, "heads": s.heads, "seq_len": s.seq_len,
             "vocab": s.vocab, "params": arch.active_params}
    skipped = []
    for i in np.unique(index):
        rows = index == i
        grid = {k: np.asarray(layout[k], float)[rows]
                for k in ("tp", "pp", "dp", "micro_batch", "global_batch")}
        try:
            result = predict(gpus[i], shape, {**grid, "interleave": 1.0}, precision=precision,
                             recompute=np.asarray(layout["recompute_code"])[rows],
                             zero=np.asarray(layout["zero"])[rows],
                             flash_attention=flash_attention,
                             sequence_parallel=sequence_parallel)
        except InputError:
            skipped.append(gpus[i].id)
            continue
        for key in PLAN_COLUMNS:
            out[key][rows] = result[key]
    return out, skipped
