"""Public transformer architectures (estimator/data/architectures.yaml), sourced and validated."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from importlib import resources

from estimator.data.schema import Bool, Ctx, Field, ListOf, MapOf, Num, Str, Struct, sourced
from estimator.data.transformer_shape import MLP_KINDS, TransformerShape
from estimator.data.yamlio import load_file
from estimator.errors import unknown_name

NUMBERS = ("params", "active_params", "layers", "hidden", "heads", "seq_len", "vocab")
SHAPE_NUMBERS = ("kv_heads", "ffn_hidden", "experts", "top_k", "shared_experts",
                 "expert_ffn_hidden", "dense_layers")
REQUIRED = ("params", "layers", "hidden", "heads", "seq_len", "vocab", "kv_heads",
            "ffn_hidden", "mlp", "tied_embeddings")

ARCHITECTURE_SCHEMA = Struct({"models": Field(MapOf(Struct({
    "name": Field(Str(), required=True),
    "aliases": Field(ListOf(Str()), default=[]),
    **{k: Field(sourced(Num(integer=True)), required=k in REQUIRED)
       for k in NUMBERS + SHAPE_NUMBERS},
    "mlp": Field(sourced(Str(choices=MLP_KINDS)), required=True),
    "tied_embeddings": Field(sourced(Bool()), required=True),
})), required=True)}, title="estimator architectures")


@dataclass(frozen=True)
class Architecture:
    """A transformer's shape; ``active_params`` equals ``params`` for a dense model."""

    id: str
    name: str
    params: float
    active_params: float
    layers: int
    hidden: int
    heads: int
    seq_len: int
    vocab: int | None
    sources: tuple = ()
    shape: TransformerShape | None = None
    """Full shape (kv heads, MLP, experts...) for parameter, FLOP and memory counts."""

    @property
    def moe(self) -> bool:
        return self.active_params < self.params


def data_path() -> str:
    return str(resources.files("estimator") / "data" / "architectures.yaml")


@functools.lru_cache(maxsize=2)
def load_architectures(path: str | None = None) -> dict[str, Architecture]:
    """Id -> Architecture from the built-in table (or ``path``); DataFileError if malformed."""

    path = path or data_path()
    data = ARCHITECTURE_SCHEMA.validate(load_file(path), Ctx(path))
    out = {}
    for key, m in data["models"].items():
        keys = NUMBERS + SHAPE_NUMBERS + ("mlp", "tied_embeddings")
        value = {k: (m[k]["value"] if m[k] is not None else None) for k in keys}
        sources = tuple(sorted({m[k]["source"] for k in keys if m[k] is not None}))
        shape = TransformerShape(**{k: int(value[k]) for k in (
            "layers", "hidden", "heads", "kv_heads", "ffn_hidden", "vocab", "seq_len")},
            mlp=value["mlp"], tied_embeddings=value["tied_embeddings"],
            **{k: int(value[k] or 0) for k in SHAPE_NUMBERS[2:]})
        out[key] = Architecture(id=key, name=m["name"], params=float(value["params"]),
                                active_params=float(value["active_params"] or value["params"]),
                                layers=value["layers"], hidden=value["hidden"],
                                heads=value["heads"], seq_len=value["seq_len"],
                                vocab=value["vocab"], sources=sources, shape=shape)
    for key, m in data["models"].items():
        for alias in m["aliases"]:
            out.setdefault(alias, out[key])
    return out


def get_architecture(name: str) -> Architecture:
    """The architecture by id or alias (case-insensitive); UnknownNameError lists the ids."""
    table = load_architectures()
    found = {k.lower(): v for k, v in table.items()}.get(str(name).strip().lower())
    if found is None:
        raise unknown_name("model", str(name), {a.id for a in table.values()}, key="model")
    return found


def closest_architecture(params: float) -> Architecture:
    """The built-in dense architecture whose parameter count is nearest ``params`` (log scale)."""

    dense = {a.id: a for a in load_architectures().values() if not a.moe}
    newest_first = list(dense.values())[::-1]   # ties go to the later entry (Llama 3 over 2)
    return min(newest_first, key=lambda a: abs(math.log(a.params / params)))
