"""Reading a price file safely, and reading its cells in exactly one way.

A price file is read like every data file (data/files.py): only a regular file (a FIFO, a
device such as /dev/zero or a folder is refused before it is opened), and never more than
:data:`MAX_PRICE_FILE_BYTES` bytes, counted as they are read, so memory stays bounded whatever
the input. The bytes are decoded with one stated encoding: UTF-8 (a BOM is allowed, as Excel
writes it), or the one given with ``--encoding``; anything else is a located error, never a
guess. A number cell has one reading or is an error: ``2_10`` (Python's digit separator),
``3,42`` (a decimal comma, or a thousands separator?) and ``$$3.$4`` are refused.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re

import numpy as np

from estimator.data.files import read_data_file
from estimator.errors import DataFileError, InputError

MAX_PRICE_FILE_BYTES = 32_000_000
"""Largest price file read [bytes]: 250x the largest SkyPilot catalog (aws vms.csv, ~130 kB
in 2025) and 3x a generated 100,000-row catalog. The file is held in memory once as bytes and
once as text, so reading stays below ~100 MB."""

MAX_CSV_FIELD_CHARS = 131_072
"""Longest cell read [characters] (Python's csv default field limit); a longer one is an error
naming its line."""

DEFAULT_ENCODING = "utf-8-sig"
"""UTF-8, with or without the byte-order mark spreadsheets write."""

_BOMS = {codecs.BOM_UTF32_LE: "UTF-32", codecs.BOM_UTF32_BE: "UTF-32",
         codecs.BOM_UTF16_LE: "UTF-16", codecs.BOM_UTF16_BE: "UTF-16"}
"""Byte-order marks of encodings other than UTF-8 (UTF-32 first: its LE mark starts with
UTF-16's)."""

PLAIN_NUMBER = re.compile(r"[+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
"""A number as people and spreadsheets write it: digits, one decimal point, an exponent. No
digit separators (``2_10``), no comma, no currency sign, no words (``inf``, ``nan``)."""

_DOLLARS = re.compile(r"\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")
"""A dollar amount as Epoch AI writes it: an optional ``$``, then digits with commas only as
thousands separators (``1,234,567``), then an optional decimal part."""


def read_price_text(path, encoding: str | None = None) -> str:
    """The text of the price file ``path`` (regular file, at most MAX_PRICE_FILE_BYTES,
    decoded with ``encoding``, default UTF-8 with or without a BOM); DataFileError otherwise."""
    name = str(path)
    data = read_data_file(name, limit=MAX_PRICE_FILE_BYTES)
    codec = _codec(encoding)
    if encoding is None:
        for bom, what in _BOMS.items():
            if data.startswith(bom):
                raise DataFileError(f"the file is {what} text, not UTF-8", file=name, line=1,
                                    hint=f"Save it as UTF-8 (CSV UTF-8 in a spreadsheet), or "
                                         f"pass --encoding {what.lower()}.")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise DataFileError(
            f"not {'UTF-8' if encoding is None else encoding} text: byte "
            f"0x{data[exc.start]:02x} cannot be decoded", file=name, line=line,
            hint="Save the file as UTF-8, or pass its encoding with --encoding (e.g. "
                 "--encoding latin-1).") from None
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise DataFileError("the file holds NUL characters: not a text (CSV) file", file=name,
                            line=line, hint="Is this the right file, in the right encoding?")
    return text


def _codec(encoding: str | None) -> str:
    if encoding is None:
        return DEFAULT_ENCODING
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", key="encoding",
                         hint="Use a Python codec name: utf-8, utf-16, latin-1, cp1252...") \
            from None
    return "utf-8-sig" if info.name == "utf-8" else info.name


def csv_rows(text: str, file: str):
    """(line, row as a list of cells) of CSV ``text``, the header first; a malformed row (an
    unclosed quote, a cell longer than MAX_CSV_FIELD_CHARS) is a DataFileError naming its
    line. Python's csv module reads text that is already in memory; nothing grows."""
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise DataFileError(f"cannot read the row as CSV: {exc}", file=file,
                                line=reader.line_num or line,
                                hint="Check the quotes of that row; a cell may hold at most "
                                     f"{MAX_CSV_FIELD_CHARS:,} characters.") from None
        yield line, row
        line = reader.line_num + 1


def header_row(text: str, file: str) -> list:
    """The cells of the first row of CSV ``text`` (read from its first line only: a catalog
    has 100,000 more)."""
    end = text.find("\n")
    return next((row for _, row in csv_rows(text if end < 0 else text[:end + 1], file)), [])


def check_header(header: list, file: str) -> None:
    """DataFileError for a header that names a column twice (which one wins is a guess)."""
    seen: dict = {}
    for position, name in enumerate(header, start=1):
        key = name.strip()
        if key in seen and key:
            raise DataFileError(f"column {key!r} appears twice (columns {seen[key]} and "
                                f"{position})", file=file, line=1, key=key,
                                hint="Delete or rename one of them.")
        seen[key] = position


def dict_rows(text: str, file: str, *, what: str, needed=(), hint: str = ""):
    """(line, {column: cell}) of CSV ``text`` with a header row: duplicate columns refused,
    the ``needed`` columns required, and a row with more cells than the header refused."""
    rows = csv_rows(text, file)
    try:
        _, header = next(rows)
    except StopIteration:
        header = []
    header = [h.strip() for h in header]
    check_header(header, file)
    missing = [c for c in needed if c not in header]
    if missing:
        raise DataFileError(f"not {what}: missing column {missing[0]!r}", file=file, line=1,
                            key=missing[0], hint=hint or None)
    for line, row in rows:
        if len(row) > len(header):
            raise DataFileError(f"the row has {len(row)} cells but the header names "
                                f"{len(header)} columns", file=file, line=line,
                                hint="Quote cells that contain commas, or add the column "
                                     "to the header.")
        if not any(cell.strip() for cell in row):
            continue                                   # a blank line
        yield line, dict(zip(header, row))


def first_long_row(text: str | bytes, columns: int) -> int | None:
    """The line where the first record with more than ``columns`` cells starts, or None.

    Vectorised over the bytes (a catalog has 100,000 rows): a comma or newline counts only
    outside quotes, i.e. after an even number of quote characters (RFC 4180: a quote inside a
    quoted cell is doubled, which keeps the parity). Memory: a few bytes per input byte."""
    raw = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    data = np.frombuffer(raw, dtype=np.uint8)
    inside = np.bitwise_xor.accumulate(data == ord('"'))        # True within quotes
    outside = ~inside
    commas = np.flatnonzero((data == ord(",")) & outside)
    ends = np.flatnonzero((data == ord("\n")) & outside)
    del inside, outside
    cells = np.bincount(np.searchsorted(ends, commas), minlength=ends.size + 1) + 1
    long = np.flatnonzero(cells > columns)
    if long.size == 0:
        return None
    start = 0 if long[0] == 0 else int(ends[long[0] - 1]) + 1
    return int(np.count_nonzero(data[:start] == ord("\n"))) + 1


def plain_number(text: str) -> float:
    """``text`` as a finite number >= 0, read one way only; ValueError otherwise."""
    cleaned = text.strip()
    if not PLAIN_NUMBER.fullmatch(cleaned):
        raise ValueError(text)
    return _finite(float(cleaned), text)


def dollar_amount(text: str) -> float:
    """'$1,234.50' / '1234.5' / '' -> 1234.5 / 1234.5 / nan [USD], read one way only
    (``3,42``, ``2_10``, ``$$3.$4`` are ValueError)."""
    cleaned = text.strip()
    if not cleaned:
        return math.nan
    match = _DOLLARS.fullmatch(cleaned)
    if not match:
        raise ValueError(text)
    whole, fraction = match.group(1).replace(",", ""), match.group(2)
    return _finite(float(f"{whole}.{fraction}" if fraction else whole), text)


def _finite(value: float, text: str) -> float:
    if not math.isfinite(value):
        raise ValueError(text)
    return value
