"""A small declarative schema for the YAML data files, with located errors.

One description serves three purposes: validating a parsed file (every error names
file, line and key, with the valid choices), building typed values, and emitting a
JSON Schema for editors (``estimator schema profile``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from estimator.data.yamlio import Node, Seq
from estimator.errors import DataFileError, InputError, did_you_mean
from estimator.inputs.links import refused_scheme
from estimator.inputs.request import parse_quantity, parse_quantity_range


@dataclass
class Ctx:
    """Where a value sits: file, line and dotted key path."""

    file: str
    line: int | None = None
    path: str = ""

    def child(self, key: str | int, line: int | None) -> Ctx:
        part = f"[{key}]" if isinstance(key, int) else (f".{key}" if self.path else key)
        return Ctx(self.file, line or self.line, self.path + part)

    def error(self, message: str, hint: str | None = None) -> DataFileError:
        return DataFileError(message, file=self.file, line=self.line, key=self.path or None,
                             hint=hint)


class Type:
    description = ""

    def validate(self, value: Any, ctx: Ctx) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError


@dataclass
class Str(Type):
    choices: tuple | None = None
    pattern: str | None = None
    description: str = ""

    def validate(self, value, ctx):
        if not isinstance(value, str) or not value.strip():
            if self.choices:
                raise ctx.error(f"expected one of {', '.join(self.choices)}, got {value!r}")
            raise ctx.error(f"expected text, got {_show(value)}")
        if self.choices and value not in self.choices:
            raise ctx.error(f"{value!r} is not allowed{did_you_mean(value, self.choices)}",
                            hint="Valid: " + ", ".join(self.choices) + ".")
        if self.pattern and not re.fullmatch(self.pattern, value):
            raise ctx.error(f"{value!r} does not match the pattern {self.pattern}")
        return value

    def json_schema(self):
        out: dict = {"type": "string"}
        if self.choices:
            out["enum"] = list(self.choices)
        if self.pattern:
            out["pattern"] = f"^{self.pattern}$"
        return _described(out, self.description)


@dataclass
class Url(Str):
    """A link a page may show: http, https or mailto (inputs/links.py says why)."""

    description: str = "an http, https or mailto URL"

    def validate(self, value, ctx):
        value = super().validate(value, ctx)
        scheme = refused_scheme(value)
        if scheme is not None:
            what = f"a {scheme}: URL" if scheme else "not an absolute URL"
            raise ctx.error(f"{_short(value)} is {what}; a source link must be http, https "
                            "or mailto", hint="Write the address as https://..., or remove "
                            "the url and name the source in the title.")
        return value

    def json_schema(self):
        scheme = "^\\s*([Hh][Tt][Tt][Pp][Ss]?|[Mm][Aa][Ii][Ll][Tt][Oo]):"
        return _described({"type": "string", "pattern": scheme}, self.description)


@dataclass
class Citation(Str):
    """A URL or a citation in words; refused when it is a script URL (javascript:, data:, ...)."""

    description: str = "URL or citation"

    def validate(self, value, ctx):
        value = super().validate(value, ctx)
        scheme = refused_scheme(value, url_field=False)
        if scheme is not None:
            raise ctx.error(f"{_short(value)} is a {scheme}: URL; a source must be an http or "
                            "https URL or a citation in words",
                            hint="Write the address as https://... or cite the publication.")
        return value


@dataclass
class Num(Type):
    """A plain YAML number (units live in the key name); finite, and >= minimum."""

    minimum: float = 0.0
    exclusive: bool = True          # value must be > minimum (else >=)
    maximum: float | None = None
    nullable: bool = False
    integer: bool = False
    description: str = ""

    def validate(self, value, ctx):
        if value is None and self.nullable:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ctx.error(f"expected a number, got {_show(value)}",
                            hint="Write a plain number; the unit is in the key name.")
        try:
            finite = math.isfinite(value)
        except OverflowError:
            finite = False
        if not finite:
            raise ctx.error(f"{_short(value)} is not a finite number")
        if self.integer and value != math.floor(value):
            raise ctx.error(f"{value!r} is not a whole number")
        if value < self.minimum or (self.exclusive and value == self.minimum):
            op = ">" if self.exclusive else ">="
            raise ctx.error(f"{value!r} is out of range; must be {op} {self.minimum:g}")
        if self.maximum is not None and value > self.maximum:
            raise ctx.error(f"{value!r} is out of range; must be <= {self.maximum:g}")
        return float(value)

    def json_schema(self):
        out: dict = {"type": ["number", "null"] if self.nullable else "number"}
        out["exclusiveMinimum" if self.exclusive else "minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        return _described(out, self.description)


@dataclass
class Quantity(Type):
    """A number in the default unit, or text with units ("80 h", "2 USD/h"), read by the one
    input parser (inputs/request.py) as at every other entry point."""

    kind: str = "number"
    ranged: bool = False            # also accept "low:high"
    description: str = ""

    def validate(self, value, ctx):
        try:
            if self.ranged:
                return parse_quantity_range(value, self.kind)
            return parse_quantity(value, self.kind)
        except InputError as exc:
            raise ctx.error(exc.message, hint=exc.hint) from None

    def json_schema(self):
        return _described({"type": ["number", "string"]},
                          self.description or f"{self.kind}, a number or text with units")


@dataclass
class Scalar(Type):
    """A number or a text (parsed later, when its unit kind is known)."""

    description: str = ""

    def validate(self, value, ctx):
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ctx.error(f"expected a number or text with units, got {_show(value)}")
        if isinstance(value, (int, float)):
            try:
                float(value)
            except OverflowError:
                raise ctx.error(f"{_short(value)} is not a finite number") from None
            if not math.isfinite(value):
                raise ctx.error(f"{value!r} is not a finite number")
        return value

    def json_schema(self):
        return _described({"type": ["number", "string"]}, self.description)


@dataclass
class Bool(Type):
    description: str = ""

    def validate(self, value, ctx):
        if not isinstance(value, bool):
            raise ctx.error(f"expected true or false, got {_show(value)}")
        return value

    def json_schema(self):
        return _described({"type": "boolean"}, self.description)


@dataclass
class Date(Type):
    """An ISO date "YYYY-MM-DD" (or "YYYY-MM", read as the 1st), quoted or not."""

    description: str = ""

    def validate(self, value, ctx):
        if isinstance(value, str):
            text = value.strip()
            if re.fullmatch(r"\d{4}-\d{2}", text):
                text += "-01"
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                pass
        raise ctx.error(f"expected a date YYYY-MM-DD, got {_show(value)}")

    def json_schema(self):
        return _described({"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?$"},
                          self.description)


@dataclass
class ListOf(Type):
    item: Type
    min_items: int = 0
    description: str = ""

    def validate(self, value, ctx):
        if isinstance(value, str) and isinstance(self.item, Str):
            value = Seq([value])
            value.item_lines = [ctx.line]
        if not isinstance(value, list):
            raise ctx.error(f"expected a list, got {_show(value)}")
        if len(value) < self.min_items:
            raise ctx.error(f"expected at least {self.min_items} item(s)")
        lines = getattr(value, "item_lines", [])
        return [self.item.validate(v, ctx.child(i, lines[i] if i < len(lines) else None))
                for i, v in enumerate(value)]

    def json_schema(self):
        out = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            out["minItems"] = self.min_items
        return _described(out, self.description)


@dataclass
class MapOf(Type):
    """A mapping with free keys (e.g. named references) and values of one type."""

    value: Type
    description: str = ""

    def validate(self, value, ctx):
        if not isinstance(value, dict):
            raise ctx.error(f"expected a mapping, got {_show(value)}")
        return {k: self.value.validate(v, ctx.child(k, _line(value, k)))
                for k, v in value.items()}

    def json_schema(self):
        return _described({"type": "object", "additionalProperties": self.value.json_schema()},
                          self.description)


@dataclass
class Field:
    type: Type
    required: bool = False
    default: Any = None


@dataclass
class Struct(Type):
    """A mapping with a fixed set of keys; unknown keys are errors with a did-you-mean."""

    fields: dict[str, Field]
    one_of: tuple = ()              # groups of keys of which exactly one must be present
    description: str = ""
    title: str = ""

    def validate(self, value, ctx):
        if not isinstance(value, dict):
            what = "a mapping of key: value lines"
            raise ctx.error(f"expected {what}, got {_show(value)}")
        out = Node()
        out.line = getattr(value, "line", ctx.line) or ctx.line
        out.key_lines = dict(getattr(value, "key_lines", {}))
        for key in value:
            if key not in self.fields:
                raise ctx.child(key, _line(value, key)).error(
                    f"unknown key{did_you_mean(key, self.fields)}",
                    hint="Valid keys here: " + ", ".join(self.fields) + ".")
        for key, spec in self.fields.items():
            child = ctx.child(key, _line(value, key))
            if key in value:
                out[key] = spec.type.validate(value[key], child)
            elif spec.required:
                raise Ctx(ctx.file, out.line, ctx.path).error(
                    f"missing required key '{key}'")
            else:
                out[key] = spec.default
        for group in self.one_of:
            present = [k for k in group if k in value]
            if len(present) != 1:
                what = "both" if len(present) > 1 else "none"
                raise Ctx(ctx.file, out.line, ctx.path).error(
                    f"give exactly one of {', '.join(group)} ({what} given)")
        return out

    def json_schema(self):
        out = {
            "type": "object",
            "properties": {k: f.type.json_schema() for k, f in self.fields.items()},
            "required": [k for k, f in self.fields.items() if f.required],
            "additionalProperties": False,
        }
        if self.title:
            out["title"] = self.title
        if self.one_of:
            out["allOf"] = [{"oneOf": [{"required": [k]} for k in group]}
                            for group in self.one_of]
        return _described(out, self.description)


def _line(mapping: Any, key: str) -> int | None:
    lines = getattr(mapping, "key_lines", None)
    return lines.get(key) if lines else None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:20] + "..." + text[-8:]


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    return f"{value!r} ({type(value).__name__})"


def _described(schema: dict, description: str) -> dict:
    if description:
        schema["description"] = description
    return schema


CONFIDENCE = ("primary", "faithful-copy", "secondary", "unverified", "estimate")
"""How a number was verified: from the primary source; a faithful copy of it (e.g. a
transcription); a secondary report; not verified; or an estimate derived by this project."""


def sourced(value_type: Type, description: str = "") -> Struct:
    """A number with its provenance: {value, source, as_of, confidence, note}."""
    return Struct({
        "value": Field(value_type, required=True),
        "source": Field(Citation(description="URL or citation"), required=True),
        "as_of": Field(Date(description="date of the source or of reading it"), required=True),
        "confidence": Field(Str(choices=CONFIDENCE), default="primary"),
        "note": Field(Str()),
    }, description=description)
