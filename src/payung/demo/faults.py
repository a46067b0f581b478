"""Roster files with the faults operators' spreadsheets have, and the truth about them. Pure: no Django.

``write_roster`` takes clean people (canonical roster columns, e.g. from ``demo.people``), spoils some rows,
adds duplicates, writes an XLSX or CSV the way Excel users produce them (varied header spellings, mixed date
formats, wages as text, a title above the header) and returns a ``Truth``: every line that must be rejected
with the importer's reason code, and every row that is the same person as another line or a registered person.

Line numbers are the file's own (as Excel shows them): the header is on ``Truth.header_line``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

import polars as pl

from payung.demo import sheets
from payung.demo.draw import Draw
from payung.regions.catalog import nik_region
from payung.registry import nik as niks

# Fault kind -> the reason code the importer gives (registry.nik / registry.roster codes).
BAD_KINDS: dict[str, str] = {
    "nik_scientific": "scientific",  # NIK typed as a number: Excel keeps 15 digits and shows 5.37101E+15
    "nik_length": "length",  # a digit dropped or doubled
    "birth_date_swapped": "birth_date_mismatch",  # day and month of the birth date swapped
    "name_missing": "required",
    "wage_text": "wage_invalid",  # "abc", "dua juta"
    "nik_sequence": "sequence",  # last four digits 0000
    "nik_repeated": "duplicate_in_file",  # the same person's row twice
    "nik_region": "region",  # a kab/kota code that does not exist
    "nik_date": "date",  # month 13 in the NIK
    "sex_mismatch": "sex_mismatch",  # JK says L for a woman's NIK (day + 40)
    "wage_negative": "wage_negative",
    "birth_date_unreadable": "date_invalid",  # 31/02/1985
}
PROBABLE = "probable_duplicate"

# Canonical column -> header spellings seen in operators' files (one is drawn per file).
HEADERS: dict[str, tuple[str, ...]] = {
    "nik": ("NIK", "No. KTP", "No KTP", "Nomor Induk Kependudukan"),
    "name": ("Nama", "Nama Lengkap", "NAMA"),
    "sex": ("Jenis Kelamin", "JK", "L/P"),
    "birth_place": ("Tempat Lahir",),
    "birth_date": ("Tanggal Lahir", "Tgl Lahir", "Tgl. Lahir", "TGL LAHIR"),
    "address": ("Alamat",),
    "phone": ("No HP", "No. HP"),
    "mother_maiden_name": ("Nama Ibu Kandung",),
    "kpj": ("No KPJ", "KPJ"),
    "unit_name": ("Unit Kerja", "OPD"),
    "position": ("Jabatan",),
    "monthly_wage": ("Gaji", "Upah"),
    "decree_number": ("No SK", "No. SK"),
    "decree_date": ("Tgl SK",),
    "start_date": ("TMT", "Mulai Kontrak"),
    "end_date": ("Akhir Kontrak",),
    "occupation": ("Pekerjaan",),
    "poverty_status": ("Status Kemiskinan",),
}
TITLES = ("S.Pd.", "S.E.", "S.Kep.", "A.Md.", "S.Sos.", "Drs.")


@dataclass(frozen=True)
class Fault:
    """One line the importer must reject (``code`` set) or flag as the same person as another record."""

    line: int
    kind: str
    code: str | None
    column: str
    detail: str
    of_line: int | None = None  # the other line of this file holding the same person
    of_nik: str | None = None  # the registered person (demo registry) this row duplicates


@dataclass
class Truth:
    path: Path
    header_line: int
    headers: dict[str, str]  # canonical column -> header written
    faults: list[Fault]
    rows: pl.DataFrame = field(repr=False)  # "line" + the true canonical values of every data line

    @property
    def rejected(self) -> dict[int, str]:
        return {f.line: f.code for f in self.faults if f.code}

    @property
    def duplicates(self) -> list[Fault]:
        return [f for f in self.faults if f.kind == PROBABLE]

    def as_dict(self) -> dict:
        return {
            "path": str(self.path),
            "header_line": self.header_line,
            "headers": self.headers,
            "data_rows": self.rows.height,
            "rejected": len(self.rejected),
            "probable_duplicates": len(self.duplicates),
            "faults": [asdict(f) for f in self.faults],
        }

    def write_json(self, path: str | Path) -> None:
        Path(path).write_text(
            json.dumps(self.as_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )


@dataclass(frozen=True)
class Plan:
    """How many rows to spoil (kinds taken in turn), duplicate within the file, and copy from the registry."""

    bad: int = 0
    probable: int = 0
    registry_duplicates: int = 0
    kinds: tuple[str, ...] = tuple(BAD_KINDS)

    @classmethod
    def share(cls, rows: int, rate: float = 0.05, registry: bool = False) -> Plan:
        """``rate`` of the rows bad; a fifth as many probable duplicates, half of registered people."""
        bad, probable = round(rows * rate), max(1, round(rows * rate / 5))
        return cls(bad, probable - probable // 2 if registry else probable, probable // 2 if registry else 0)


def write_roster(
    clean: pl.DataFrame,
    path: str | Path,
    *,
    plan: Plan = Plan(),
    seed: int = 0,
    registry: pl.DataFrame | None = None,
    title: str | None = None,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Truth:
    """Write ``clean`` (plus duplicates, with faults) to ``path`` (.xlsx or .csv) and return the truth.

    ``registry`` holds people already registered (same columns); ``plan.registry_duplicates`` of them come
    back in the file spelt differently and with a NIK typo. ``title`` (XLSX only) goes above the header.
    """
    path = Path(path)
    excel = path.suffix.lower() == ".xlsx"
    if not excel and path.suffix.lower() != ".csv":
        raise ValueError("the roster file must end in .xlsx or .csv")
    rng = random.Random(f"faults:{seed}")
    columns = [c for c in HEADERS if c in clean.columns and clean[c].null_count() < clean.height]
    headers = {c: rng.choice(HEADERS[c]) for c in columns}
    rows, pending = _spoil(clean, plan, rng, registry, columns)
    cells = _damage(sheets.render(rows, columns, Draw(f"cells:{seed}"), excel), rows)
    header_line = 3 if title and excel else 1
    if excel:
        sheets.write_xlsx(path, cells, headers, title)
    else:
        sheets.write_csv(path, cells, headers, encoding, delimiter)
    first = header_line + 1
    faults = sorted((_numbered(p, first, cells) for p in pending), key=lambda f: f.line)
    truth_rows = rows.select(pl.int_range(pl.len()).add(first).alias("line"), *clean.columns)
    return Truth(path, header_line, headers, faults, truth_rows)


# ------------------------------------------------------------------------------------------- spoiling
_COLUMN = {
    "nik_scientific": "nik",
    "nik_length": "nik",
    "nik_sequence": "nik",
    "nik_region": "nik",
    "nik_date": "nik",
    "nik_repeated": "nik",
    "birth_date_swapped": "birth_date",
    "birth_date_unreadable": "birth_date",
    "sex_mismatch": "sex",
    "name_missing": "name",
    "wage_text": "monthly_wage",
    "wage_negative": "monthly_wage",
}


@dataclass(frozen=True)
class _Pending:
    """A fault before lines are numbered: rows are 0-based positions in the final order."""

    row: int
    kind: str
    detail: str = ""
    of_row: int | None = None
    of_nik: str | None = None


def _numbered(p: _Pending, first: int, cells: pl.DataFrame) -> Fault:
    if p.kind == PROBABLE:
        of_line = first + p.of_row if p.of_row is not None else None
        return Fault(first + p.row, PROBABLE, None, "name", p.detail, of_line, p.of_nik)
    column = _COLUMN[p.kind]
    written = cells[column][p.row]
    if p.kind == "nik_scientific":
        written = sheets.scientific_text(written)
    of_line = first + p.of_row if p.of_row is not None else None
    return Fault(first + p.row, p.kind, BAD_KINDS[p.kind], column, written or "", of_line)


def _spoil(
    clean: pl.DataFrame, plan: Plan, rng: random.Random, registry: pl.DataFrame | None, columns: list[str]
) -> tuple[pl.DataFrame, list[_Pending]]:
    """The final rows in file order (true values plus _fault/_param marks) and the faults they carry."""
    kinds = [k for k in plan.kinds if _COLUMN[k] in columns]
    sequence = [kinds[i % len(kinds)] for i in range(plan.bad)] if kinds else []
    if plan.bad + plan.probable > clean.height:
        raise ValueError("more faults and duplicates planned than there are rows")
    damaged, sources = _pick_rows(clean, sequence, plan.probable, rng)
    spoilt = {i: k for i, k in damaged if k != "nik_repeated"}
    base = clean.with_columns(_src=pl.int_range(pl.len(), dtype=pl.Int64)).with_columns(
        _fault=pl.col("_src").replace_strict(spoilt, default=None, return_dtype=pl.Utf8),
        _param=pl.col("_src").replace_strict(
            {i: _param(k, rng) for i, k in spoilt.items()}, default=None, return_dtype=pl.Utf8
        ),
        _of_nik=pl.lit(None, pl.Utf8),
    )
    taken = set(clean["nik"].to_list()) | (set(registry["nik"].to_list()) if registry is not None else set())
    extra = [base.row(i, named=True) | {"_src": -1 - i} for i, k in damaged if k == "nik_repeated"]
    extra += [_variant(base.row(i, named=True), rng, taken) | {"_src": -1 - i} for i in sources]
    for person in _registry_sources(registry, plan.registry_duplicates, rng):
        extra.append(_variant(person, rng, taken) | {"_src": None, "_of_nik": person["nik"]})
    if extra:
        base = pl.concat([base, pl.DataFrame(extra, schema=base.schema, orient="row")])
    rows = _shuffle(base, len(extra), rng)
    return rows, _marked_faults(rows) + _duplicate_faults(rows)


def _pick_rows(clean: pl.DataFrame, kinds: list[str], probable: int, rng: random.Random):
    """Distinct rows for each fault kind and for the duplicated people; some kinds need a suitable row."""
    order = list(range(clean.height))
    rng.shuffle(order)
    born = clean["birth_date"]
    wage = clean["monthly_wage"] if "monthly_wage" in clean.columns else None
    suitable = {
        "any": lambda i: True,
        "birth_date_swapped": lambda i: _swappable(born[i]),  # a swap shows only when the day is <= 12
        "wage": lambda i: wage is not None and wage[i] is not None,
    }
    used: set[int] = set()
    pointers = dict.fromkeys(suitable, 0)

    def take(kind: str) -> int:
        key = "wage" if kind.startswith("wage") else kind if kind in suitable else "any"
        p = pointers[key]
        while p < len(order) and (order[p] in used or not suitable[key](order[p])):
            p += 1
        if p == len(order):
            raise ValueError(f"no row left that can carry the fault {kind}")
        pointers[key] = p + 1
        used.add(order[p])
        return order[p]

    damaged = [(take(kind), kind) for kind in kinds]
    return damaged, [take("any") for _ in range(probable)]


def _swappable(born: dt.date) -> bool:
    return born.day <= 12 and born.day != born.month


def _param(kind: str, rng: random.Random) -> str:
    return {
        "nik_length": lambda: rng.choice(("drop", "double")),
        "wage_text": lambda: rng.choice(("abc", "dua juta", "2.5jt")),
        "nik_region": lambda: rng.choice(("5391", "5399", "5380")),
    }.get(kind, lambda: "")()


def _shuffle(rows: pl.DataFrame, added: int, rng: random.Random) -> pl.DataFrame:
    """Added rows (at the end) move to random places; the original rows keep their order."""
    slots = pl.Series(sorted(rng.sample(range(rows.height), added)), dtype=pl.Int64)
    rest = pl.int_range(rows.height, dtype=pl.Int64, eager=True).filter(
        ~pl.int_range(rows.height, eager=True).is_in(slots.implode())
    )
    return rows.with_columns(_at=pl.concat([rest, slots])).sort("_at").drop("_at")


def _marked_faults(rows: pl.DataFrame) -> list[_Pending]:
    marked = rows.with_row_index("_row").filter(pl.col("_fault").is_not_null())
    return [_Pending(r, k) for r, k in marked.select("_row", "_fault").iter_rows()]


def _duplicate_faults(rows: pl.DataFrame) -> list[_Pending]:
    indexed = rows.with_row_index("_row")
    extras = indexed.filter(pl.col("_src").is_null() | (pl.col("_src") < 0))
    wanted = [-1 - s for s in extras["_src"].drop_nulls().to_list()]
    position = dict(indexed.filter(pl.col("_src").is_in(wanted)).select("_src", "_row").iter_rows())
    found = []
    for row, src, nik, change, of_nik in extras.select(
        "_row", "_src", "nik", "_param", "_of_nik"
    ).iter_rows():
        if src is None:
            found.append(_Pending(row, PROBABLE, change, of_nik=of_nik))
        elif change is None:  # an identical copy: the importer rejects whichever line comes later
            first, later = sorted((row, position[-1 - src]))
            found.append(_Pending(later, "nik_repeated", nik, of_row=first))
        else:
            found.append(_Pending(row, PROBABLE, change, of_row=position[-1 - src]))
    return found


def _registry_sources(registry: pl.DataFrame | None, count: int, rng: random.Random) -> list[dict]:
    """Registered people to enter again: in turn one with Muh./Muhammad, one with a title, anyone."""
    if registry is None or count == 0:
        return []
    ordered = registry.sort("nik")
    pools = [
        ordered.filter(pl.col("name").str.starts_with("Muh")),
        ordered.filter(pl.col("name").str.contains(", ", literal=True)),
        ordered,
    ]
    pools = [p for p in pools if p.height]
    chosen: dict[str, dict] = {}
    for k in range(min(count, ordered.height)):
        pool = pools[k % len(pools)]
        while (person := pool.row(rng.randrange(pool.height), named=True))["nik"] in chosen:
            pool = ordered
        chosen[person["nik"]] = person
    return list(chosen.values())


def _variant(person: dict, rng: random.Random, taken: set[str]) -> dict:
    """The same person registered again: a NIK typo and the name written differently; day/month swapped."""
    born, changes = person["birth_date"], []
    if _swappable(born) and rng.random() < 0.4:
        born = dt.date(born.year, born.day, born.month)
        changes.append("tanggal dan bulan lahir tertukar")
    name, how = _name_variant(person["name"], rng)
    nik = _nik_typo(person["nik"], born, person["sex"], rng, taken)
    changes += [how, "NIK salah ketik"]
    return person | {
        "nik": nik,
        "name": name,
        "birth_date": born,
        "_fault": None,
        "_param": "; ".join(changes),
    }


def _nik_typo(nik: str, born: dt.date, sex: str, rng: random.Random, taken: set[str]) -> str:
    """A valid NIK one typed digit away in the sequence (re-dated when the birth date was swapped)."""
    digits = list(nik[12:])
    for _ in range(100):
        typo = digits.copy()
        place = rng.randrange(4)
        typo[place] = rng.choice([d for d in "0123456789" if d != digits[place]])
        sequence = int("".join(typo))
        if sequence and (candidate := niks.compose(nik[:6], born, sex, sequence)) not in taken:
            taken.add(candidate)
            return candidate
    raise RuntimeError(f"no free NIK near {nik}")


def _name_variant(name: str, rng: random.Random) -> tuple[str, str]:
    base, _, title = name.partition(", ")
    suffix = f", {title}" if title else ""
    if base.startswith("Muhammad "):
        return "Muh. " + base.removeprefix("Muhammad ") + suffix, "Muhammad ditulis Muh."
    if base.startswith("Muh. "):
        return "Muhammad " + base.removeprefix("Muh. ") + suffix, "Muh. ditulis Muhammad"
    if title:
        return base, f"gelar {title} tidak ditulis"
    if rng.random() < 0.3:
        added = rng.choice(TITLES)
        return f"{base}, {added}", f"gelar {added} ditambahkan"
    return _typo(base, rng), "salah ketik nama"


def _typo(name: str, rng: random.Random) -> str:
    """Swap two neighbouring letters, or drop or double one, inside a word of four letters or more."""
    words = name.split(" ")
    choices = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()] or [len(words) - 1]
    i = rng.choice(choices)
    word, k = words[i], rng.randrange(1, max(2, len(words[i]) - 1))
    how = rng.choice(("swap", "drop", "double"))
    if how == "swap" and word[k] != word[k - 1]:
        word = word[: k - 1] + word[k] + word[k - 1] + word[k + 1 :]
    elif how == "drop":
        word = word[:k] + word[k + 1 :]
    else:
        word = word[:k] + word[k] + word[k:]
    words[i] = word
    return " ".join(words)


# ------------------------------------------------------------------------------------------- rendering
def _damage(cells: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """Spoil the marked cells; only those few rows go through Python."""
    marked = cells["_fault"].is_not_null()
    if not marked.any():
        return cells
    indexed = cells.with_row_index("_i")
    truths = rows.filter(marked).iter_rows(named=True)
    fixed = [
        _spoil_cells(cell, truth)
        for cell, truth in zip(indexed.filter(marked).iter_rows(named=True), truths, strict=True)
    ]
    repaired = pl.DataFrame(fixed, schema=indexed.schema, orient="row")
    return pl.concat([indexed.filter(~marked), repaired]).sort("_i").drop("_i")


def _spoil_cells(cell: dict, truth: dict) -> dict:
    """One row's cells damaged the way its ``_fault`` says; ``truth`` holds the row's real values."""
    kind, param, nik, born = cell["_fault"], cell["_param"], truth["nik"], truth["birth_date"]
    changes = {
        "nik_scientific": lambda: {"nik": nik[:15] + "0"},  # Excel keeps 15 digits; written as a number
        "nik_length": lambda: {"nik": nik[:-1] if param == "drop" else nik[:9] + nik[8:]},
        "nik_sequence": lambda: {"nik": nik[:12] + "0000"},
        "nik_region": lambda: {"nik": _unknown_region(param, nik)},
        "nik_date": lambda: {"nik": nik[:8] + "13" + nik[10:]},
        "birth_date_swapped": lambda: {
            "birth_date": f"{born.month:02d}/{born.day:02d}/{born.year}",
            "_birth_fmt": "text",
        },
        "birth_date_unreadable": lambda: {"birth_date": f"31/02/{born.year}", "_birth_fmt": "text"},
        "sex_mismatch": lambda: {"sex": "L" if truth["sex"] == "P" else "P"},
        "name_missing": lambda: {"name": None},
        "wage_text": lambda: {"monthly_wage": param, "_wage_fmt": "text"},
        "wage_negative": lambda: {"monthly_wage": f"-{truth['monthly_wage']}", "_wage_fmt": "text"},
    }[kind]()
    return cell | changes


def _unknown_region(regency: str, nik: str) -> str:
    candidate = regency + nik[4:]
    return candidate if nik_region(candidate[:6]) is None else "999999" + nik[6:]
