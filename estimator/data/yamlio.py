"""Strict, safe YAML reading that remembers where every key was.

PyYAML's ``safe_load`` follows YAML 1.1 and is too forgiving for data files
that carry money: ``yes``/``on`` become booleans, ``012`` is octal 10,
``2025-01-31`` becomes a date, ``2.788e6`` stays a string, duplicate keys
silently keep the last value, and aliases allow "billion laughs" documents.

This loader resolves plain scalars like the YAML 1.2 core schema restricted to
what our files need (null, true/false, decimal ints without leading zeros,
decimal floats with any exponent form, everything else a string), rejects
duplicate keys, anchors/aliases, non-safe tags, documents nested deeper than
:data:`MAX_DEPTH` and files larger than :data:`MAX_FILE_BYTES`, and returns
:class:`Node` mappings that know the line of each key.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from estimator.data.files import MAX_FILE_BYTES, read_data_file
from estimator.errors import DataFileError

MAX_DEPTH = 20
"""Deepest nesting of mappings/sequences accepted in a data file."""


class Node(dict):
    """A mapping from a YAML file that knows its own line and each key's line."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Seq(list):
    """A sequence from a YAML file that knows each item's line."""

    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _Resolver(BaseResolver):
    """Plain-scalar resolution close to the YAML 1.2 core schema."""


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
               r"|[0-9]+[eE][-+]?[0-9]+)$"),
    list("-+0123456789."))
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$"),
    list("-+."))


class _Constructor(SafeConstructor):
    def construct_yaml_int(self, node):
        text = self.construct_scalar(node)
        if not re.fullmatch(r"[-+]?[0-9]+", text.strip()):
            raise _located(f"!!int {text!r} is not an integer", node)
        return int(text)

    def construct_yaml_bool(self, node):
        text = self.construct_scalar(node).lower()
        if text not in ("true", "false"):
            raise _located(f"!!bool {text!r} is not true or false", node)
        return text == "true"

    def construct_yaml_float(self, node):
        text = self.construct_scalar(node).lower().strip()
        if not re.fullmatch(r"[-+]?(\.?inf|\.?nan|([0-9]+\.?[0-9]*|\.[0-9]+)(e[-+]?[0-9]+)?)",
                            text):
            raise _located(f"!!float {text!r} is not a number", node)
        if text.lstrip("+-").lstrip(".") in ("inf", "nan"):   # the schema rejects them, located
            return float(text.replace(".", ""))
        return float(text)

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping, found {node.id}", node.start_mark)
        result = Node()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or key_node.value == "<<":
                raise _located("merge keys (<<) are not allowed", key_node)
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise _located("a key must be a plain string", key_node)
            key = str(key)
            line = key_node.start_mark.line + 1
            if key in result:
                raise _located(
                    f"{key}: duplicate key (first at line {result.key_lines[key]}); "
                    "remove one of them", key_node)
            result.key_lines[key] = line
            result[key] = self.construct_object(value_node, deep=True)
        return result

    def construct_sequence(self, node, deep=False):
        result = Seq(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result

    def construct_undefined(self, node):
        raise _located(f"tag {node.tag!r} is not allowed in data files", node)


_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)
_Constructor.add_constructor("tag:yaml.org,2002:float", _Constructor.construct_yaml_float)
_Constructor.add_constructor("tag:yaml.org,2002:bool", _Constructor.construct_yaml_bool)
_Constructor.add_constructor("tag:yaml.org,2002:map", _Constructor.construct_mapping)
_Constructor.add_constructor("tag:yaml.org,2002:seq", _Constructor.construct_sequence)
for _tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary",
             "tag:yaml.org,2002:omap", "tag:yaml.org,2002:pairs", "tag:yaml.org,2002:set"):
    _Constructor.add_constructor(_tag, _Constructor.construct_undefined)
_Constructor.add_constructor(None, _Constructor.construct_undefined)


class _Composer(Composer):
    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _located("anchors and aliases (*name) are not allowed; write the value out",
                           event)
        if getattr(self.peek_event(), "anchor", None):
            raise _located("anchors and aliases (&name, *name) are not allowed; write the "
                           "value out",
                           self.peek_event())
        depth = getattr(self, "_depth", 0) + 1
        if depth > MAX_DEPTH:
            raise _located(f"document nested deeper than {MAX_DEPTH} levels", self.peek_event())
        self._depth = depth
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth = depth - 1


class StrictLoader(Reader, Scanner, Parser, _Composer, _Constructor, _Resolver):
    """Safe loader: no arbitrary tags, no aliases, no duplicate keys, line numbers kept."""

    def __init__(self, stream):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _Composer.__init__(self)
        _Constructor.__init__(self)
        _Resolver.__init__(self)


class _YamlProblem(Exception):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message, self.line = message, line


def _located(message: str, node_or_event) -> _YamlProblem:
    mark = getattr(node_or_event, "start_mark", None)
    return _YamlProblem(message, mark.line + 1 if mark else None)


def loads(text: str, *, file: str = "<string>") -> Any:
    """Parse one YAML document from ``text`` strictly; raise DataFileError on any problem."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise DataFileError(f"file is larger than {MAX_FILE_BYTES:,} bytes", file=file,
                            hint="Data files are small; split it or check it is the right file.")
    if "\x00" in text:
        raise DataFileError("file contains NUL bytes; it is not a text YAML file", file=file)
    loader = None
    try:
        loader = StrictLoader(text)
        if not loader.check_node():
            raise DataFileError("file is empty", file=file, hint="Write a YAML mapping.")
        document = loader.construct_document(loader.get_node())
        if loader.check_node():
            raise DataFileError("file holds more than one YAML document (---)", file=file,
                                hint="Put one profile or scenario in each file.")
        return document
    except _YamlProblem as problem:
        raise DataFileError(problem.message, file=file, line=problem.line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = (exc.problem or exc.context or "invalid YAML").strip()
        if "\\t" in what or "tab" in what:
            what += " (YAML does not allow tabs for indentation; use spaces)"
        raise DataFileError(f"YAML syntax error: {what}", file=file,
                            line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise DataFileError(f"YAML error: {' '.join(str(exc).split())}", file=file) from None
    except RecursionError:
        raise DataFileError("document nested too deeply", file=file) from None
    finally:
        if loader is not None:
            loader.dispose()


def load_file(path: str | Path) -> Any:
    """Read (regular files only, at most MAX_FILE_BYTES) and strictly parse a UTF-8 YAML
    file; errors name the file."""
    return loads_bytes(read_data_file(path), file=str(path))


def loads_bytes(raw: bytes, *, file: str) -> Any:
    """Decode UTF-8 (with or without a BOM) and strictly parse one YAML document."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataFileError(f"not valid UTF-8 text (byte {exc.start})", file=file, line=line,
                            hint="Save the file as UTF-8.") from None
    return loads(text, file=file)
