"""Roster headers: the spellings operators use for each canonical column, and finding the header row (under
title rows, refusing headers on two rows or in merged cells). ``Sheet`` is what every reader returns: text
cells under the operator's own headers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from payung.files.bounds import column_letters
from payung.registry.problems import FileProblem

# Canonical column -> header spellings operators use. The one place to add a spelling.
ALIASES: dict[str, tuple[str, ...]] = {
    "nik": ("NIK", "No. KTP", "No KTP", "Nomor KTP", "Nomor Induk Kependudukan", "NIK KTP", "No NIK"),
    "name": ("Nama", "Nama Lengkap", "Nama Pegawai", "Nama Peserta", "Nama Tenaga Kerja", "Name"),
    "birth_date": ("Tanggal Lahir", "Tgl Lahir", "Tgl. Lahir", "Tgl Lhr", "Tanggal Lhr", "Date of Birth"),
    "birth_place": ("Tempat Lahir", "Tmp Lahir", "Tmpt Lahir", "Tempat Lhr", "Place of Birth"),
    "sex": ("Jenis Kelamin", "JK", "L/P", "Kelamin", "Gender", "Sex"),
    "address": ("Alamat", "Alamat Lengkap", "Alamat Domisili", "Alamat Rumah", "Address"),
    "village_code": ("Kode Desa", "Kode Kelurahan", "Kode Desa/Kelurahan", "Kode Desa Kelurahan"),
    "phone": ("No HP", "No. HP", "Nomor HP", "No Telepon", "Telepon", "No Telp", "No. Telp", "HP", "Phone"),
    "mother_maiden_name": ("Nama Ibu Kandung", "Ibu Kandung", "Nama Ibu"),
    "kpj": ("No KPJ", "KPJ", "No. KPJ", "Nomor KPJ", "No Kartu BPJS"),
    "unit_code": ("Kode Unit", "Kode OPD", "Kode Unit Kerja", "Kode Sekolah"),
    "unit_name": ("Unit Kerja", "OPD", "Nama OPD", "Perangkat Daerah", "Instansi", "Nama Unit", "Sekolah"),
    "group": ("Kelompok", "Jenis Peserta", "Kelompok Peserta"),
    "position": ("Jabatan", "Posisi", "Position"),
    "monthly_wage": ("Upah", "Gaji", "Upah Bulanan", "Gaji Pokok", "Honor", "Honorarium", "Wage"),
    "decree_number": ("No SK", "No. SK", "Nomor SK"),
    "decree_date": ("Tgl SK", "Tgl. SK", "Tanggal SK"),
    "start_date": ("TMT", "Mulai Kontrak", "Tanggal Mulai", "TMT Kontrak", "Awal Kontrak", "Tgl Mulai"),
    "end_date": ("Akhir Kontrak", "Tanggal Berakhir", "Selesai Kontrak", "Tgl Akhir Kontrak", "Tgl Akhir"),
    "occupation": ("Pekerjaan", "Jenis Pekerjaan", "Profesi", "Occupation"),
    "poverty_status": ("Status Kemiskinan", "Desil", "Desil Kemiskinan", "Kategori Kemiskinan"),
}
REQUIRED = ("nik", "name", "birth_date")
MAX_TITLE_ROWS = 30  # how far down the header row is looked for


def normalise_header(text: object) -> str:
    """'Tgl. Lahir (dd/mm/yyyy)' -> 'tgl lahir': case, punctuation, spacing and notes in brackets ignored."""
    text = re.sub(r"\(.*?\)", " ", str(text or ""))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


_BY_HEADER = {normalise_header(alias): column for column, aliases in ALIASES.items() for alias in aliases}


def canonical_column(header: object) -> str | None:
    return _BY_HEADER.get(normalise_header(header))


@dataclass
class Sheet:
    """Text cells under the operator's headers. ``frame`` columns are c0..cN (headers may repeat)."""

    headers: list[str]
    frame: pl.DataFrame
    header_line: int  # 1-based, as Excel numbers rows
    columns: dict[str, int] = field(default_factory=dict)  # canonical -> position of its first column

    def header_of(self, column: str) -> str:
        return self.headers[self.columns[column]] if column in self.columns else column


def header(head: list[list[str]], merged: list) -> tuple[int, dict[str, int]]:
    """The header row and its canonical columns; a header in merged cells or on two rows is refused."""
    try:
        index, columns = find_header(head)
    except FileProblem as problem:
        if problem.code in ("missing_column", "no_nik_column"):
            _refuse_merged_header(head, merged)  # the likelier reason a column looked missing
        raise
    covering = [(top, bottom) for top, bottom in merged if top[0] <= index <= bottom[0] and top != bottom]
    _refuse_merged_header(head, covering)
    if covering:
        raise FileProblem("two_row_header", line=index + 1)
    refuse_two_row_header(head, index, columns)
    return index, columns


def _refuse_merged_header(head: list[list[str]], merged: list) -> None:
    """A known header in merged cells: which column it names cannot be told. Say which cells."""
    for (top, left), (bottom, right) in merged:
        row = head[top] if top < len(head) else []
        text = row[left] if left < len(row) else ""
        if (top, left) != (bottom, right) and canonical_column(text):
            cells = f"{column_letters(left + 1)}{top + 1}:{column_letters(right + 1)}{bottom + 1}"
            raise FileProblem("merged_header", header=str(text).strip(), cells=cells)


def find_header(rows: list[list[str]]) -> tuple[int, dict[str, int]]:
    """The first row naming the NIK column and at least one other known column."""
    for index, row in enumerate(rows):
        columns: dict[str, int] = {}
        for position, cell in enumerate(row):
            columns.setdefault(canonical_column(cell) or "", position)
        columns.pop("", None)
        if "nik" in columns and len(columns) >= 2:
            missing = [c for c in REQUIRED if c not in columns]
            if missing and not _looks_like_sub_header(rows, index, columns):
                raise FileProblem(
                    "missing_column", column=ALIASES[missing[0]][0], aliases=_aliases(missing[0])
                )
            return index, columns
    raise FileProblem("no_nik_column", aliases=_aliases("nik"))


def _aliases(column: str) -> str:
    return ", ".join(ALIASES[column])


def _looks_like_sub_header(rows: list[list[str]], index: int, columns: dict[str, int]) -> bool:
    """A second header row: no NIK or name under the headers, but text where a header cell is blank."""
    if index + 1 >= len(rows):
        return False
    below, header = rows[index + 1], rows[index]

    def cell(row: list[str], position: int) -> str:  # CSV rows can be shorter than the header
        return row[position].strip() if position < len(row) else ""

    if any(cell(below, columns[c]) for c in ("nik", "name") if c in columns):
        return False
    return any(cell(below, i) and not cell(header, i) for i in range(len(below)))


def refuse_two_row_header(rows: list[list[str]], index: int, columns: dict[str, int]) -> None:
    if _looks_like_sub_header(rows, index, columns):
        raise FileProblem("two_row_header", line=index + 1)
