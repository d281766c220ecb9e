"""resolve_architecture(): a model's shape and parameter counts from a built-in name and/or
explicit dimensions, for `plan`, `compute` and scenario stages.

The shape starts from ``model`` (a built-in architecture), else from the built-in dense
model closest to ``params`` in size; every dimension given overrides it. N is derived from
the shape (models/transformer_params.py) and a headline ``params`` more than 5% away from it
is a warning, not an error: sources round ("Llama 2 7B" has 6.74B parameters).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from estimator.data.architectures import closest_architecture, get_architecture
from estimator.data.transformer_shape import MLP_KINDS, TransformerShape
from estimator.errors import InputError
from estimator.inputs.request import parse_scalar
from estimator.models import transformer_params as tparams

DIMENSIONS = ("layers", "hidden", "heads", "kv_heads", "ffn_hidden", "vocab", "seq_len",
              "experts", "top_k", "shared_experts")
"""Integer dimensions a caller may give (option --kv-heads is key kv_heads, and so on)."""

GELU_FFN_RATIO = 4
"""Dense GeLU MLP width f = 4h when only the hidden size is given (Vaswani et al. 2017,
sec. 3.3; GPT-3, Brown et al. 2020, sec. 2.1)."""


@dataclass(frozen=True)
class ResolvedArchitecture:
    """The shape used, the parameter counts and what was assumed.

    ``params`` is the N that FLOP counts use: the headline ``params`` when given, else the
    derived one; ``active_params`` likewise (MoE: ``--active-params`` or the derived active
    count). ``params_scale`` = params / params_derived when the shape was borrowed from the
    closest built-in model (memory then scales its layers to the headline size), else 1.
    """

    shape: TransformerShape
    name: str
    params: float
    active_params: float
    params_derived: float
    active_params_derived: float
    params_scale: float
    notes: tuple = ()
    warnings: tuple = ()


SHAPE_BORROW_FACTOR = 4.0
"""A model without a stated shape borrows the layers, hidden size and heads of the built-in
model closest in size only within this factor of its parameter count: a 1-parameter model has
no transformer shape (7B's would be assumed, 52 GB per GPU for one token)."""

DIMENSION_WORDS = {"layers": ("transformer layers", 80), "hidden": ("hidden size", 8192),
                   "heads": ("attention heads", 64), "kv_heads": ("key/value heads", 8),
                   "ffn_hidden": ("MLP width", 28672), "vocab": ("vocabulary size", 128256),
                   "seq_len": ("tokens per sequence", 8192), "experts": ("experts", 8),
                   "top_k": ("experts per token", 2), "shared_experts": ("shared experts", 1)}
"""What each dimension counts, and an example value (Llama 3 70B; Mixtral for the experts),
for error messages."""


def _dimension(key: str, value) -> int:
    """A dimension as a whole number (0 allowed for the expert counts), or an error in words."""
    words, example = DIMENSION_WORDS[key]
    least = 0 if key in ("shared_experts", "experts", "top_k") else 1
    try:
        number = parse_scalar(value, "number", key=key)
    except InputError:
        number = math.nan
    if not (least <= number <= 1e9 and number == math.floor(number)):
        flag = key.replace("_", "-")
        raise InputError(f"{flag} is the number of {words}: a whole number from {least} to "
                         f"1e9, got {str(value)!r}", key=key, hint=f"E.g. --{flag} {example}.")
    return int(number)


def resolve_architecture(params=None, model=None, *, active_params=None, mlp=None,
                         tied_embeddings=None, **dimensions) -> ResolvedArchitecture:
    """Shape and N from ``model`` and/or dimensions (see DIMENSIONS); InputError when
    neither ``params`` nor ``model`` is given, or a dimension is not a positive count."""
    unknown = set(dimensions) - set(DIMENSIONS)
    if unknown:
        raise InputError(f"unknown dimension {sorted(unknown)[0]!r}", key=sorted(unknown)[0],
                         hint=f"Valid: {', '.join(DIMENSIONS)}.")
    given = {k: _dimension(k, v) for k, v in dimensions.items() if v is not None}
    if mlp is not None and str(mlp).lower() not in MLP_KINDS:
        raise InputError(f"unknown MLP type {mlp!r}", key="mlp",
                         hint=f"Valid: {', '.join(MLP_KINDS)}.")
    headline = parse_scalar(params, "params", key="params") if params is not None else None
    notes = []
    if model is not None:
        arch = get_architecture(model)
    elif headline is None:
        raise InputError("give params or a model", key="params",
                         hint="E.g. --params 70B, or --model llama-3-70b.")
    else:
        arch = closest_architecture(headline)
        if (not {"layers", "hidden", "heads"} <= set(given) and not arch.params
                / SHAPE_BORROW_FACTOR <= headline <= arch.params * SHAPE_BORROW_FACTOR):
            raise InputError(f"no built-in model shape is near {headline:.4g} parameters (the "
                             f"closest, {arch.name}, has {arch.params:.4g})", key="params",
                             hint="Pass --layers, --hidden and --heads for this model, or "
                                  "--model NAME; check the suffix (70B, not 70).")
    borrowed = model is None and not {"layers", "hidden", "heads"} <= set(given)
    base = arch.shape
    changes = dict(given)
    if mlp is not None:
        changes["mlp"] = str(mlp).lower()
    if tied_embeddings is not None:
        changes["tied_embeddings"] = bool(tied_embeddings)
    if "heads" in given and "kv_heads" not in given:
        changes["kv_heads"] = given["heads"]        # multi-head attention unless told
    if "hidden" in given and "ffn_hidden" not in given:
        changes["ffn_hidden"] = (GELU_FFN_RATIO * given["hidden"] if changes.get("mlp", base.mlp)
                                 == "gelu" else round(base.ffn_hidden * given["hidden"]
                                                      / base.hidden))
    if "experts" in given and given["experts"] > 0 and not base.moe:
        changes.setdefault("top_k", 1)
        changes.setdefault("expert_ffn_hidden", changes.get("ffn_hidden", base.ffn_hidden))
    shape = base.with_changes(**changes)
    _check_shape(shape)
    derived = tparams.total_params(shape)
    derived_active = tparams.active_params(shape)
    if borrowed:
        notes.append(f"shape (layers, hidden size, heads...) taken from {arch.name} (the "
                     "built-in model closest in size); pass --model or --layers/--hidden/"
                     "--heads")
    n = headline if headline is not None else derived
    if active_params is not None:
        active = parse_scalar(active_params, "params", key="active_params")
        if active > n:
            raise InputError(f"active parameters {active:.4g} are more than the {n:.4g} "
                             "parameters of the model", key="active_params",
                             hint="Active parameters (MoE: those used per token) are at most "
                                  "the total: swap the two, or check the suffixes (B, T).")
    elif shape.moe:
        active = derived_active if headline is None or not borrowed else derived_active * (
            n / derived)
    else:
        active = n
    scale = n / derived if borrowed else 1.0
    warnings = []
    gap = tparams.params_mismatch(n, derived)
    if headline is not None and gap > tparams.PARAMS_MISMATCH_WARNING and not borrowed:
        warnings.append(f"--params {n / 1e9:,.3g}B is {gap:.0%} away from the "
                        f"{derived / 1e9:,.4g}B the architecture gives; FLOP use "
                        f"{n / 1e9:,.3g}B, memory the architecture")
    return ResolvedArchitecture(shape=shape, name=arch.name + (" (modified)" if changes else ""),
                                params=float(n), active_params=float(active),
                                params_derived=derived, active_params_derived=derived_active,
                                params_scale=float(scale), notes=tuple(notes),
                                warnings=tuple(warnings))


def _check_shape(shape: TransformerShape) -> None:
    if shape.heads % shape.kv_heads:
        raise InputError(f"{shape.heads} heads do not split into {shape.kv_heads} key/value "
                         "groups", key="kv_heads", hint="kv_heads must divide heads.")
    if shape.hidden % shape.heads:
        raise InputError(f"hidden size {shape.hidden} is not a multiple of {shape.heads} "
                         "heads", key="hidden", hint="hidden = heads x head size.")
    if shape.moe and not 0 < shape.top_k <= shape.experts:
        raise InputError(f"top-k {shape.top_k} must be between 1 and the {shape.experts} "
                         "experts", key="top_k")
