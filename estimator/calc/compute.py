"""compute(): training FLOP -> GPU-hours and cost, or the MFU a disclosed GPU-hour count implies."""

from __future__ import annotations

import numpy as np
import pandas as pd

from estimator.bands import DEFAULT_TIER, Range, RangeColumns
from estimator.calc import mfu as mfu_auto
from estimator.calc.architecture import resolve_architecture
from estimator.calc.estimate import price_ranges, resolve_gpus
from estimator.calc.price_columns import add_price_columns, kind_axes
from estimator.calc.request import Request, finish
from estimator.calc.request_docs import documents_request
from estimator.errors import EstimatorError, InputError
from estimator.inputs.axes import as_list, check_derived, product_indices
from estimator.inputs.request import (
    parse_axis,
    parse_band,
    parse_scalar,
)
from estimator.models import energy, rental
from estimator.models import flops as fl
from estimator.models import transformer_flops as tf
from estimator.models import transformer_params as tparams


def _shape(layers, hidden, seq_len, recompute, active_params) -> dict:
    """Keyword arguments for transformer_flops.training_flop from the optional inputs."""
    shape = {k: parse_scalar(v, "count", key=k) for k, v in
             (("layers", layers), ("hidden", hidden), ("seq_len", seq_len)) if v is not None}
    if shape and len(shape) < 3:
        raise InputError("the attention term needs layers, hidden and seq_len together",
                         key="layers", hint="E.g. --layers 96 --hidden 12288 --seq-len 2048.")
    if recompute not in (None, "none"):
        try:
            shape["recompute"] = int(tf.recompute_code(recompute))
        except ValueError as exc:
            raise InputError(str(exc), key="recompute") from None
    if active_params is not None:
        shape["active_params"] = parse_scalar(active_params, "params", key="active_params")
    return shape


def _flop_axis(params, tokens, flop, flop_per_token, shape=None) -> tuple[np.ndarray, dict]:
    """Training FLOP values, and the params/tokens columns that produced them."""
    if flop is not None:
        if any(v is not None for v in (params, flop_per_token)):
            raise InputError("give flop, or params and tokens, or flop_per_token and tokens",
                             key="flop")
        return parse_axis(flop, "flop", "flop"), {}
    if tokens is None or (params is None) == (flop_per_token is None):
        raise InputError("give params and tokens (6ND), flop_per_token and tokens, or flop",
                         key="params", hint="E.g. --params 37B --tokens 14.8T.")
    first = (parse_axis(params, "params", "params") if params is not None
             else parse_axis(flop_per_token, "flop", "flop_per_token"))
    toks = parse_axis(tokens, "tokens", "tokens")
    i, j = product_indices([len(first), len(toks)])
    name = "params" if params is not None else "flop_per_token"
    if params is not None and shape:
        flop_values = tf.training_flop(first[i], toks[j], **shape)
    else:
        flop_values = (fl.training_flop(first[i], toks[j]) if params is not None
                       else fl.flop_from_per_token(first[i], toks[j]))
    return flop_values, {name: first[i], "tokens": toks[j]}


def _mfu_items(mfu) -> RangeColumns:
    """The MFU ranges [fraction] of points or "low:high" ranges, one entry per item."""
    return RangeColumns.of(parse_band(item, "fraction", "mfu") for item in as_list(mfu))


@documents_request
def compute(gpu="H800", params=None, tokens=None, *, flop=None, flop_per_token=None,
            precision="bf16", mfu=None, gpu_hours=None, count=None, price=None,
            pue=energy.DEFAULT_PUE, power_fraction=energy.DEFAULT_POWER_FRACTION,
            as_of=None, currency=None, fx_date=None, carbon_intensity=None,
            profiles=None, layers=None, hidden=None, seq_len=None, recompute=None,
            active_params=None, tier=DEFAULT_TIER, provider_class=None, dollars=None,
            deflator="ppi", model=None, heads=None, kv_heads=None, ffn_hidden=None, mlp=None,
            vocab=None, tied_embeddings=None, experts=None, top_k=None,
            shared_experts=None, layout=None) -> pd.DataFrame:
    """GPU-hours and cost from training compute, or the MFU implied by GPU-hours.

    Training FLOP is 6 x ``params`` x ``tokens`` (Kaplan et al. 2020; for MoE use the
    activated parameters), ``flop_per_token`` x ``tokens``, or ``flop`` given directly.
    With ``mfu`` (a point, or "low:high" giving ``gpu_hours_low``/``gpu_hours_high``):
    GPU-hours = FLOP / (dense peak at ``precision`` x MFU x 3600). With ``gpu_hours``:
    the implied ``mfu``. Neither: MFU = 0.375 (Epoch AI's median of known runs).
    ``count`` adds ``wall_clock_hours``; price/currency/carbon work as in estimate().
    ``pue`` and ``power_fraction`` may be lists (one row per combination, with ``pue`` /
    ``power_fraction`` columns then).
    ``layers``, ``hidden`` and ``seq_len`` add the attention term, ``recompute``
    (none/selective/full) the recomputed forward FLOP, ``active_params`` the MoE count
    (models/transformer_flops.py); the ``flop_formula`` column names the formula used.
    ``tier``, ``provider_class``, ``dollars`` and ``deflator`` as in estimate(): columns
    ``tier`` and ``price_date``, and with ``dollars`` ``cost_real_usd_*`` and ``dollar_year``.

    Cost band: low = gpu_hours_low x price low, typical = gpu_hours x typical price,
    high = gpu_hours_high x price high, where gpu_hours uses the midpoint MFU.

    Parameters
    ----------
    gpu : str or list of str
        GPU id, alias or name ("H800").
    params, tokens : numeric or text
        Parameters (activated, for MoE) [count] and training tokens [count] ("7B", "1T").
    flop : numeric or text, optional
        Training compute [FLOP] ("3.8e25"), instead of params and tokens.
    flop_per_token : numeric or text, optional
        Training compute per token [FLOP/token], with ``tokens``.
    precision : str
        Precision of the dense peak (bf16, fp8, ...; data/profile_types.PRECISIONS).
    mfu : numeric or text, optional
        Model FLOP utilisation [fraction], a point or "low:high" (adds ``gpu_hours_low`` /
        ``gpu_hours_high``), or "auto": predicted per GPU by the step-time model for
        ``layout`` (calc/mfu.py), with ``mfu_predicted``, ``mfu_low``/``mfu_high`` (the model's
        error on published runs), ``step_seconds`` and ``time_share_*`` columns.
    gpu_hours : numeric or text, optional
        Total GPU time [GPU·h]; gives the implied ``mfu`` instead.
    count : numeric, text or list, optional
        Number of GPUs [GPU]; adds ``wall_clock_hours`` [h].
    price : numeric, text or list, optional
        Rental price [USD/(GPU·h)], as in estimate(); default: the GPU's price band.
    pue, power_fraction : numeric or list
        Power usage effectiveness [ratio] and average draw as a share of TDP [fraction];
        lists add ``pue`` / ``power_fraction`` columns (one row per combination).
    {request_parameters}
    layers, hidden, seq_len : numeric or text, optional
        Transformer shape [count]; adds the attention term (models/transformer_flops.py).
    recompute : str, optional
        Activation recomputation: none, selective or full (adds recomputed forward FLOP).
    active_params : numeric or text, optional
        Activated parameters of a mixture-of-experts model [count].
    model : str, optional
        A built-in architecture (data/architectures.yaml): without ``params`` its N
        derived from the shape (MoE: the activated N) is used, and its layers, hidden size
        and sequence length add the attention term; ``heads``, ``kv_heads``,
        ``ffn_hidden``, ``mlp``, ``vocab``, ``tied_embeddings``, ``experts``, ``top_k``,
        ``shared_experts`` (and layers, hidden, seq_len) override it
        (calc/architecture.py). Adds ``params_derived``; a ``params`` more than 5% from
        it is a warning.
    layout : mapping, optional
        For ``mfu="auto"``: tp, pp, dp (or ``count``), micro_batch, global_batch [sequences],
        interleave, and the model (``model`` a built-in architecture, or heads and vocab with
        layers/hidden/seq_len); speed overrides matmul_fraction, kernel_efficiency,
        tp_gb_per_s, dp_gb_per_s [GB/s per GPU], latency_s, sequence_parallel, dp_overlap.

    Returns
    -------
    pandas.DataFrame
        One row per GPU (and pue / power_fraction): gpu, precision, peak_tflops [TFLOP/s],
        params, tokens, training_flop [FLOP], pf_days [PFLOP/s·day], flop_formula, mfu,
        mfu_low, mfu_high, gpu_hours{,_low,_high} [GPU·h],
        price_usd_per_gpu_hour_{low,typical,high} [USD/(GPU·h)], cost_usd_{low,typical,high}
        [USD], energy_kwh [kWh], warnings; currency and CO2 columns as in estimate().
    """
    request = Request.from_keywords(as_of=as_of, fx_date=fx_date, currency=currency,
                                    carbon_intensity=carbon_intensity, profiles=profiles, tier=tier,
                                    provider_class=provider_class, dollars=dollars,
                                    deflator=deflator)
    as_of, fx_date = request.as_of, request.fx_date
    if mfu is not None and gpu_hours is not None:
        raise InputError("give mfu or gpu_hours, not both", key="mfu")
    arch = None
    if model is not None:
        arch = resolve_architecture(None, model, layers=layers, hidden=hidden, seq_len=seq_len,
                                    heads=heads, kv_heads=kv_heads, ffn_hidden=ffn_hidden,
                                    mlp=mlp, vocab=vocab, tied_embeddings=tied_embeddings,
                                    experts=experts, top_k=top_k,
                                    shared_experts=shared_experts)
        layers, hidden, seq_len = arch.shape.layers, arch.shape.hidden, arch.shape.seq_len
        heads, vocab = arch.shape.heads, arch.shape.vocab
        if params is None and flop is None and flop_per_token is None:
            params = arch.active_params
    auto = mfu_auto.is_auto(mfu)
    if auto:
        if gpu_hours is not None:
            raise InputError("give mfu or gpu_hours, not both", key="mfu")
        given = {**(layout or {}), **{k: v for k, v in (("heads", heads), ("vocab", vocab))
                                      if v is not None}}
        step_shape, grid, speeds = mfu_auto.auto_inputs(
            given, params=params, layers=layers, hidden=hidden, seq_len=seq_len, count=count)
        if params is None and flop is None and flop_per_token is None:
            params = step_shape["params"]
        layers, hidden, seq_len = (step_shape[k] for k in ("layers", "hidden", "seq_len"))
        if count is None:
            count = grid["tp"] * grid["pp"] * grid["dp"]
    elif layout:
        raise InputError("layout options are used with --mfu auto", key="mfu",
                         hint="Add --mfu auto, or drop the layout options.")
    gpus = resolve_gpus(gpu, profiles)
    kinds = {"tier": tier, "provider_class": provider_class}
    if price is None:       # tiers and classes are axes: one row per GPU x class x tier
        gpus, row_tiers, row_classes = kind_axes(gpus, tier, provider_class, as_of)
        kinds = {"tier": row_tiers, "provider_class": row_classes}
    try:
        peaks = np.array([p.peak_tflops(precision) for p in gpus])
    except EstimatorError as exc:
        raise exc.located(key="precision")
    if auto:
        predicted = [mfu_auto.predict(p, step_shape, grid, precision=precision,
                                      recompute=recompute or "none", **speeds) for p in gpus]
    # with --mfu auto recomputation is time in the step model, not model FLOP
    shape = _shape(layers, hidden, seq_len, None if auto else recompute, active_params)
    flop_values, flop_cols = _flop_axis(params, tokens, flop, flop_per_token, shape)
    labels, prices, bands = price_ranges(gpus, price, as_of=as_of, fx_date=fx_date,
                                         **kinds)
    inverse = gpu_hours is not None
    third = (parse_axis(gpu_hours, "gpu_hours", "gpu_hours") if inverse
             else RangeColumns.of([Range(np.nan, np.nan, np.nan)]) if auto
             else _mfu_items(fl.DEFAULT_MFU if mfu is None else mfu))
    counts = parse_axis(count, "count", "count") if count is not None else np.array([np.nan])
    pues = parse_axis(pue, "ratio", "pue")
    fractions = parse_axis(power_fraction, "fraction", "power_fraction")
    lengths = [len(gpus), len(flop_values), len(third), len(counts), len(pues), len(fractions)]
    if price is not None:
        lengths.append(len(labels))
    idx = product_indices(lengths)
    g, f, t, c, e, w = idx[:6]
    band = prices.take(idx[6] if price is not None else g)
    peak, flop_row = peaks[g], flop_values[f]
    data = {"gpu": np.array([p.id for p in gpus])[g], "precision": precision.lower(),
            "peak_tflops": peak, **{k: v[f] for k, v in flop_cols.items()},
            "training_flop": flop_row, "pf_days": fl.pf_days(flop_row),
            "flop_formula": _formula(params, flop, shape, None if auto else recompute)}
    if inverse:
        gh = third[t]
        data["gpu_hours"] = gh
        data["mfu"] = fl.implied_mfu(flop_row, gh, peak)
        gh_low = gh_high = gh
    else:
        mfu_low, mfu_high = third.low[t], third.high[t]
        mid = (mfu_low + mfu_high) / 2
        if auto:
            columns = {k: np.array([float(np.asarray(r[k])) for r in predicted])[g]
                       for k in ("mfu_predicted", "mfu_low", "mfu_high", "step_s",
                                 *mfu_auto.SHARE_COLUMNS)}
            mfu_low, mfu_high, mid = columns["mfu_low"], columns["mfu_high"], \
                columns["mfu_predicted"]
            data["mfu_predicted"] = mid
            data["step_seconds"] = columns["step_s"]
            data.update({k: columns[k] for k in mfu_auto.SHARE_COLUMNS})
        data["mfu"] = mid
        gh = fl.gpu_hours_from_flop(flop_row, peak, mid)
        gh_low = fl.gpu_hours_from_flop(flop_row, peak, mfu_high)
        gh_high = fl.gpu_hours_from_flop(flop_row, peak, mfu_low)
        data.update(mfu_low=mfu_low, mfu_high=mfu_high, gpu_hours=gh,
                    gpu_hours_low=gh_low, gpu_hours_high=gh_high)
        for column in ("gpu_hours", "gpu_hours_low", "gpu_hours_high"):
            check_derived(data[column], "gpu_hours", f"computed {column}",
                          "FLOP (or params and tokens), MFU and the GPU's peak", key="mfu")
    if count is not None:
        data["count"] = counts[c]
        data["wall_clock_hours"] = rental.wall_clock_hours(gh, counts[c])
        check_derived(data["wall_clock_hours"], "hours", "computed wall_clock_hours",
                      "GPU-hours and count", key="count")
    for name, price_column in band.items():
        data[f"price_usd_per_gpu_hour_{name}"] = price_column
    data["cost_usd_low"] = rental.rental_cost_usd(gh_low, band.low)
    data["cost_usd_typical"] = rental.rental_cost_usd(gh, band.typical)
    data["cost_usd_high"] = rental.rental_cost_usd(gh_high, band.high)
    tdp = np.array([p.tdp_w or np.nan for p in gpus])[g]
    watts = energy.average_power_w(tdp, fractions[w])
    data["energy_kwh"] = energy.energy_kwh(gh, watts, pues[e])
    for name, axis, index in (("pue", pues, e), ("power_fraction", fractions, w)):
        if len(axis) > 1:       # a list: one row per value, so name the value of each row
            data[name] = axis[index]
    data["warnings"] = _warnings(data, inverse)
    if arch is not None:
        data["params_derived"] = arch.active_params_derived
        data["warnings"] = _params_warning(data["warnings"], flop_cols.get("params"), arch)
    frame = pd.DataFrame(data)
    add_price_columns(frame, [bands[i] for i in (idx[6] if price is not None else g)],
                      request.tier, price is not None, request.fx_on)
    return finish(frame, request)


def _formula(params, flop, shape: dict, recompute) -> str:
    if flop is not None:
        return "FLOP (given)"
    if params is None:
        return tf.formula_name(per_token=True)
    return tf.formula_name(recompute or "none", "layers" in shape, "active_params" in shape)


def _params_warning(warnings, params, arch) -> np.ndarray:
    """Add a warning where ``params`` is over 5% from the architecture's (activated) N."""
    if params is None:
        return warnings
    derived = arch.active_params_derived
    gap = np.abs(np.asarray(params) / derived - 1.0)
    text = (f"--params is more than {tparams.PARAMS_MISMATCH_WARNING:.0%} away from the "
            f"{derived / 1e9:,.4g}B {arch.name} gives")
    return np.where(gap > tparams.PARAMS_MISMATCH_WARNING,
                    np.where(warnings != "", warnings + "; " + text, text), warnings)


def _warnings(data: dict, inverse: bool) -> np.ndarray:
    keys = ["mfu"] if inverse else ["mfu_low", "mfu_high"]
    parts = [fl.mfu_warning(data[k]) for k in keys]
    out = parts[0]
    for extra in parts[1:]:
        out = np.where((out != "") & (extra != "") & (out != extra), out + "; " + extra,
                       np.where(out != "", out, extra))
    return out
