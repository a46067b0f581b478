"""How big a workbook may be, checked before any reader allocates for it (decision 0012, "Files").

calamine (under fastexcel and python-calamine) allocates rows x columns of its sheet's bounding box before
it reads a cell, and that box is set by the largest cell reference, not by how many cells there are: one
cell at XFD1048576 in a 5 KB file asks for 512 GiB. So an XLSX is checked first by streaming its XML
through a capped decompressor (the sizes the zip declares are only a first refusal, never trusted): the
unpacked bytes, the sheet's <dimension>, every row and cell reference, rows and cells without a
reference (calamine places them one after the other), and the shared strings (at most one per cell).
A legacy .xls cannot be bounded this way; its format caps a sheet at 65,536 rows x 256 columns and the
upload size limit bounds the rest.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MAX_ROWS = 1_000_100  # a million data rows under a header and a few title lines
MAX_COLUMNS = 200  # a roster has ~25 columns; Excel's XFD is 16,384
MAX_CELLS = MAX_ROWS * 30  # a million rows of 30 columns: about 1 GB in calamine
MAX_UNPACKED_BYTES = 1 << 30  # the XML of a million-row sheet is ~700 MB
MAX_RATIO = 100  # unpacked / packed bytes; real sheets pack ~10x, the probe's bomb 143x
RATIO_FLOOR = 16 << 20  # below this much XML any ratio is harmless
_CHUNK = 1 << 20


class Refused(ValueError):
    """The workbook is over a limit (``code``: sheet_too_large, unpacked_too_large) or not a zip (corrupt)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code, self.params = code, params


def too_large(rows: int, columns: int) -> Refused:
    limits = {"max_rows": MAX_ROWS, "max_columns": MAX_COLUMNS, "max_cells": MAX_CELLS}
    return Refused("sheet_too_large", rows=rows, columns=columns, **limits)


def check_box(rows: int, columns: int) -> None:
    """Refuse a sheet whose bounding box (what calamine allocates) is over the limits."""
    if rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
        raise too_large(rows, columns)


# ------------------------------------------------------------------------------- references as patterns
def _digits_above(n: int) -> str:
    """A pattern for decimal numbers (leading zeros allowed) greater than n."""
    text = str(n)
    options = [rf"[1-9]\d{{{len(text)},}}"]
    options += [rf"{text[:i]}[{int(d) + 1}-9]\d{{{len(text) - i - 1}}}"
                for i, d in enumerate(text) if d != "9"]  # fmt: skip
    return "0*(?:" + "|".join(options) + ")"


def column_letters(number: int) -> str:
    """1 -> A, 27 -> AA (Excel's bijective base 26)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _letters_above(n: int) -> str:
    """A pattern for column letters after column n, either case (same-length names compare as text)."""
    text = column_letters(n)
    options = [rf"[A-Za-z]{{{len(text) + 1},}}"]
    for i, letter in enumerate(text):
        if letter != "Z":
            same = "".join(f"[{p}{p.lower()}]" for p in text[:i])
            options.append(rf"{same}[{_after(letter)}][A-Za-z]{{{len(text) - i - 1}}}")
    return "(?:" + "|".join(options) + ")" if n else "[A-Za-z]+"


def _after(letter: str) -> str:
    """A class of the letters after ``letter``, either case."""
    first = chr(ord(letter) + 1)
    return f"{first}-Z{first.lower()}-z"


@lru_cache(maxsize=512)
def _beyond(rows: int, columns: int, row_elements: bool) -> re.Pattern[bytes]:
    """A reference past row ``rows`` or column ``columns``, found in one pass over the XML. Both cases are
    spelled out: IGNORECASE would stop sre's fast search for the literal ' r="'. Rows' own r count only
    with ``row_elements`` (where cells lack theirs): an empty row element far below the data (a height, a
    format) makes calamine allocate nothing."""
    letters = "*" if row_elements else "+"
    pattern = rf""" r="(?:[A-Za-z]{letters}{_digits_above(rows)}"|{_letters_above(columns)}[0-9])"""
    return re.compile(pattern.encode())


_REFERENCE = re.compile(rb"([A-Za-z]*)(\d+)")
_CELL_REFERENCE = re.compile(rb' r="([A-Za-z]+)(\d+)"')
_ANY_REFERENCE = re.compile(rb' r="([A-Za-z]*)(\d+)"')
_SEARCHES = 1_000  # searches for a larger reference before reading every one


# Excel and the libraries write <c r="A1" ...>, counted here with bytes.count. Chunks with other spellings
# XML allows (and calamine reads): prefixes, r not first, single quotes, spaces, no r, are rewritten to it
# with slower regexes, and their cells without r counted one by one.
_ODD_REF = re.compile(rb"""\sr\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_PREFIX = re.compile(rb"<(/?)\w+:(c|row|si|dimension)(?=[\s/>])")
_UNREFERENCED_CELL = re.compile(rb'<c(?![^>]*\sr=")[\s/>]')
_UNREFERENCED_ROW = re.compile(rb'<row(?![^>]*\sr=")[\s/>]')
_DIMENSION = re.compile(rb'<dimension\s[^>]*?ref="[A-Za-z]*\d*:?([A-Za-z]+)(\d+)"')


def _plain(xml: bytes) -> bytes:
    """The chunk in the one spelling the fast counts expect."""
    xml = _PREFIX.sub(rb"<\1\2", xml) if b":c" in xml or b":row" in xml or b":si" in xml else xml
    return _ODD_REF.sub(lambda m: b' r="' + (m[1] if m[1] is not None else m[2]) + b'"', xml)


# ----------------------------------------------------------------------------------------- sheet scan
@dataclass
class _Extent:
    """What calamine's box for one sheet will be, as far as the XML read so far tells."""

    rows: int = 0  # the largest row referenced
    columns: int = 0  # the largest column referenced
    unreferenced_rows: int = 0  # <row> without r: placed after the one before
    widest_unreferenced: int = 0  # most cells without r in one row
    cells: int = 0

    def check(self) -> None:
        rows = self.rows + self.unreferenced_rows
        check_box(rows, self.columns + self.widest_unreferenced)

    def read(self, xml: bytes, first: bool) -> None:
        cells, referenced = xml.count(b"<c"), xml.count(b'<c r="')
        if cells != referenced:
            cells -= xml.count(b"<co")  # <cols>, <col>: not cells
        odd = cells != referenced or b":c" in xml or b":row" in xml
        if odd:
            xml = _plain(xml)
            self.widest_unreferenced = max(self.widest_unreferenced, _widest_row(xml))
        self.cells += cells
        if first and (found := _DIMENSION.search(xml)):
            check_box(int(found[2]), column_number(found[1].decode()))
        if odd and xml.count(b"<row") != xml.count(b'<row r="'):
            self.unreferenced_rows += len(_UNREFERENCED_ROW.findall(xml))
        last = xml.rfind(b'<c r="')  # cells come in order: the last is usually the largest
        if last >= 0 and (found := re.match(rb'<c r="[A-Za-z]+(\d{1,12})"', xml[last : last + 40])):
            self.rows = max(self.rows, int(found[1]))
        self._largest(xml, row_elements=odd)
        self.check()

    def _largest(self, xml: bytes, row_elements: bool) -> None:
        """The largest row and column referenced: search for a reference beyond both so far, from where the
        last was found. Each search is one C scan; it repeats only when a maximum grows (in a real sheet:
        along the header row). References out of order make it repeat more: then every one is read."""
        position = 0
        for _ in range(_SEARCHES):
            found = _beyond(self.rows, self.columns, row_elements).search(xml, position)
            if found is None:
                return
            self._widen(*_REFERENCE.match(xml, found.start() + 4).groups())
            if self.rows > MAX_ROWS and self.columns > MAX_COLUMNS:  # by how much does not matter
                return
            position = found.end()
        for letters, digits in (_ANY_REFERENCE if row_elements else _CELL_REFERENCE).findall(xml):
            self._widen(letters, digits)

    def _widen(self, letters: bytes, digits: bytes) -> None:
        self.rows = max(self.rows, int(digits))
        self.columns = max(self.columns, column_number(letters.decode()))


def _widest_row(xml: bytes) -> int:
    """Most cells without r in one row (a slow path: only files that leave r out come here)."""
    return max(len(_UNREFERENCED_CELL.findall(row)) for row in xml.split(b"</row>"))


class _Budget:
    """Unpacked bytes left for the whole archive."""

    def __init__(self, packed: int) -> None:
        self.left = min(MAX_UNPACKED_BYTES, max(RATIO_FLOOR, MAX_RATIO * packed))
        self.limit = self.left

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise Refused("unpacked_too_large", limit=self.limit >> 20)


def _stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> Iterator[bytes]:
    """The member's bytes in chunks ending at a '>', so no tag is cut in two; never more than the budget."""
    carry = b""
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            budget.spend(len(chunk))
            data = carry + chunk
            cut = data.rfind(b">") + 1
            if cut == 0 and len(data) < _CHUNK * 4:
                carry = data
                continue
            carry = data[cut:] if cut else b""
            yield data[:cut] if cut else data
    if carry:
        yield carry


def check_xlsx(path: str | Path) -> None:
    """Refuse an XLSX over the limits before a reader opens it. Raises Refused."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(archive, _Budget(path.stat().st_size))
    except Refused:
        raise
    except Exception as exc:  # BadZipFile, zlib.error, EOFError...: damage anywhere in the archive
        raise Refused("corrupt") from exc


def _check_archive(archive: zipfile.ZipFile, budget: _Budget) -> None:
    """Every XML part is unpacked through the budget; sheets are measured, shared strings counted."""
    members = [info for info in archive.infolist() if info.filename.lower().endswith((".xml", ".rels"))]
    if sum(info.file_size for info in archive.infolist()) > budget.left:
        raise Refused("unpacked_too_large", limit=budget.limit >> 20)
    cells, strings = 0, 0
    for info in members:
        name = info.filename.lower()
        if name.startswith("xl/worksheets/"):
            cells += _sheet_cells(archive, info, budget)
        elif name.endswith("sharedstrings.xml"):
            strings += sum(_strings(xml) for xml in _stream(archive, info, budget))
        else:
            for _xml in _stream(archive, info, budget):
                pass
    if strings > cells + 1000:  # each shared string is some cell's: more strings than cells is a bomb
        raise Refused("corrupt")


def _strings(xml: bytes) -> int:
    xml = _PREFIX.sub(rb"<\1\2", xml) if b":si" in xml else xml
    return xml.count(b"<si>") + xml.count(b"<si ") + xml.count(b"<si/>")


def _sheet_cells(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> int:
    extent = _Extent()
    for index, xml in enumerate(_stream(archive, info, budget)):
        extent.read(xml, first=index == 0)
    return extent.cells
