"""A roster file (XLSX, XLS, CSV) into a ``Sheet`` of text cells; ``FileProblem`` when it cannot be used."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import polars as pl

from payung.files import bounds
from payung.registry import workbooks
from payung.registry.headers import (
    MAX_TITLE_ROWS,
    Sheet,
    canonical_column,
    find_header,
    refuse_two_row_header,
)
from payung.registry.problems import FileProblem

_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}


def read(path: str | Path, *, filename: str = "", max_bytes: int | None = None) -> Sheet:
    """Read the first sheet of an Excel file or a CSV into a ``Sheet``; raise ``FileProblem`` if unusable."""
    path = Path(path)
    size = path.stat().st_size
    refuse_too_large(size, max_bytes)
    if size == 0:
        raise FileProblem("empty_file")
    with path.open("rb") as handle:
        head = handle.read(8)
    suffix = Path(filename or path.name).suffix.lower()
    if head.startswith(workbooks.ZIP):
        sheet = workbooks.read_xlsx(path)
    elif head.startswith(workbooks.OLE):
        workbooks.refuse_encrypted(path)
        sheet = workbooks.read_excel(path)
    elif suffix in _EXCEL_SUFFIXES:
        raise FileProblem("corrupt")
    else:
        sheet = _read_csv(path.read_bytes())
    return sheet


def refuse_too_large(size: int, max_bytes: int | None) -> None:
    if max_bytes is not None and size > max_bytes:
        raise FileProblem("too_large", size=_mb(size), limit=_mb(max_bytes))


def _mb(size: int) -> str:
    return f"{size / 1_048_576:.1f}"


_DELIMITERS = (";", ",", "\t", "|")
_SNIFFED = 64 * 1024  # characters the delimiter and header are looked for in


def _refuse_wide(columns: int, lines: int) -> None:
    """A CSV line of more cells than a sheet may have columns: a 2 MB header of separators alone made
    polars build two million columns (25 s, 2.5 GB). Counted by separators, so a quoted one counts too."""
    if columns > bounds.MAX_COLUMNS:
        refused = bounds.too_large(lines, columns)
        raise FileProblem(refused.code, **refused.params)


def _read_csv(data: bytes) -> Sheet:
    if b"\r" in data and b"\n" not in data:  # old Mac Excel's CR-only lines, which polars reads as one line
        data = data.replace(b"\r", b"\n")
    text = _decode(data)
    start = data[:_SNIFFED].decode("utf-8-sig", errors="ignore") if text is None else text[:_SNIFFED]
    head = start.splitlines()[:MAX_TITLE_ROWS]
    separator, rows = _sniff(head)
    index, columns = find_header(rows)
    refuse_two_row_header(rows, index, columns)
    headers = rows[index]
    _refuse_wide(len(headers), data.count(b"\n") + 1)  # polars makes a column of each header cell
    source = data if text is None else text.encode("utf-8")
    try:
        frame = pl.read_csv(
            source, separator=separator, skip_lines=index, has_header=True, infer_schema=False,
            truncate_ragged_lines=True, raise_if_empty=False, encoding="utf8",
        )  # fmt: skip
    except pl.exceptions.PolarsError as exc:
        raise FileProblem("csv_invalid") from exc
    frame = frame.select(pl.nth(range(min(len(headers), frame.width))))
    frame = frame.rename({old: f"c{i}" for i, old in enumerate(frame.columns)})
    return Sheet(headers[: frame.width], frame, index + 1, columns)


def text_rows(data: bytes, known: Callable[[str], object]) -> list[list[str]]:
    """Every row of a CSV as stripped cells, for the readers that take rows as they are (BPJS lists and
    replies): the roster's decoding and refusals, its delimiter sniffed by ``known`` header cells."""
    text = _decode(data)
    text = data.decode("utf-8-sig") if text is None else text
    separator, _rows = _sniff(text[:_SNIFFED].splitlines()[:MAX_TITLE_ROWS], known)
    lines = text.splitlines()
    _refuse_wide(max(line.count(separator) for line in lines) + 1, len(lines))  # before csv makes the cells
    try:
        return [
            [c.strip() for c in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        ]
    except csv.Error as exc:
        raise FileProblem("csv_invalid") from exc


def _decode(data: bytes) -> str | None:
    """None when the bytes are UTF-8 (polars reads them as they are); else Windows-1252 text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:65536]:
        raise FileProblem("encoding")
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise FileProblem("encoding") from exc


def _sniff(
    lines: list[str], known: Callable[[str], object] = canonical_column
) -> tuple[str, list[list[str]]]:
    """The delimiter under which some early line reads as the most known headers."""
    best: tuple[int, str, list[list[str]]] = (-1, ",", [])
    for separator in _DELIMITERS:
        rows = list(csv.reader(lines if lines else [""], delimiter=separator))
        score = max((sum(bool(known(c)) for c in row) for row in rows), default=0)
        if score > best[0]:
            best = (score, separator, rows)
    rows = best[2]
    if not any(any(c.strip() for c in row) for row in rows):
        raise FileProblem("empty_file")
    return best[1], rows
