"""A roster's ``Sheet`` (registry.reading) into one canonical, validated polars frame. Pure: no Django.

``validate`` maps headers to canonical columns and checks every row column-wise with polars. Values that
repeat a lot (dates, wages, sex, NIK region prefixes and birth digits) are parsed once per distinct value
in Python and mapped back, so a million rows cost a few thousand Python calls, not a million.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from payung import formats
from payung.files import xlsx
from payung.regions.catalog import nik_region
from payung.registry import nik as niks
from payung.registry.headers import ALIASES, Sheet, normalise_header
from payung.registry.parsing import WageError, parse_date, parse_group, parse_sex, parse_wage
from payung.registry.problems import MESSAGES, FileProblem

TEXT_LIMITS = {  # database column widths (registry.models)
    "name": 150, "birth_place": 80, "address": 250, "phone": 20, "mother_maiden_name": 150, "kpj": 11,
    "unit_code": 40, "unit_name": 200, "position": 120, "decree_number": 80, "occupation": 80,
    "poverty_status": 40,
}  # fmt: skip
DATE_COLUMNS = ("birth_date", "decree_date", "start_date", "end_date")
CANONICAL: dict[str, pl.DataType] = {
    "nik": pl.Utf8(), "name": pl.Utf8(), "sex": pl.Utf8(), "birth_place": pl.Utf8(), "birth_date": pl.Date(),
    "address": pl.Utf8(), "village_code": pl.Utf8(), "phone": pl.Utf8(), "mother_maiden_name": pl.Utf8(),
    "kpj": pl.Utf8(), "unit_code": pl.Utf8(), "unit_name": pl.Utf8(), "group": pl.Utf8(),
    "position": pl.Utf8(), "monthly_wage": pl.Int64(), "decree_number": pl.Utf8(), "decree_date": pl.Date(),
    "start_date": pl.Date(), "end_date": pl.Date(), "occupation": pl.Utf8(), "poverty_status": pl.Utf8(),
}  # fmt: skip
REASON_HEADER = "Alasan penolakan"
LINE = "_line"  # the row's line number as Excel shows it


# ------------------------------------------------------------------------------------------- validation
@dataclass
class Checked:
    """What ``validate`` found. ``rows`` are typed canonical columns of the rows without errors."""

    rows: pl.DataFrame  # LINE + CANONICAL
    # LINE, column (operator's header), severity, code, message (uploader's language), message_id, message_en
    issues: pl.DataFrame
    total: int  # data rows, blank rows not counted
    sheet: Sheet

    @property
    def rejected(self) -> int:
        return self.issues.filter(pl.col("severity") == "error").get_column(LINE).n_unique()


@dataclass(frozen=True)
class _Date:
    """A message parameter that is a Date column: written in the reader's date style (payung.formats), like
    every date a person reads, not polars' ISO text."""

    column: pl.Expr


@dataclass(frozen=True)
class _Check:
    column: str
    code: str
    failed: pl.Expr
    params: dict[str, pl.Expr | str | dt.date | _Date] = field(default_factory=dict)
    severity: str = "error"  # a warning flags the row and still imports it


def validate(
    sheet: Sheet,
    *,
    default_group: str = "non_asn",
    default_unit: str | None = None,
    unit_codes: set[str] | None = None,
    village_codes: set[str] | None = None,
    lang: str = "id",
    today: dt.date | None = None,
) -> Checked:
    """Check every row; ``unit_codes``/``village_codes`` (when given) are the region's known codes.

    Raises FileProblem when the sheet has headers but no data rows."""
    today = today or dt.date.today()
    texts = _texts(sheet)
    if texts.is_empty():
        raise FileProblem("no_rows")
    work = _parsed(texts, default_group, default_unit, today)
    checks = _checks(work, unit_codes, village_codes, today)
    issues = _issues(work, checks, sheet, lang)
    issues = pl.concat([issues, _duplicates(work, issues, sheet, lang)]).sort(LINE, "_order")
    rows = work.select(LINE, *(pl.col(c).cast(t) for c, t in CANONICAL.items()))
    rows = rows.filter(~pl.col(LINE).is_in(_error_lines(issues)))
    return Checked(rows, issues.drop("_order"), work.height, sheet)


def _error_lines(issues: pl.DataFrame) -> pl.Series:
    return issues.filter(pl.col("severity") == "error").get_column(LINE).implode()


def _numbered(sheet: Sheet) -> pl.DataFrame:
    return sheet.frame.with_row_index(LINE, offset=sheet.header_line + 1).with_columns(
        pl.col(LINE).cast(pl.Int64)
    )


def _texts(sheet: Sheet) -> pl.DataFrame:
    """LINE plus one stripped text column t_<canonical> per canonical column (null when blank or absent).

    Rows blank in every known column are dropped: pre-numbered empty rows are not data."""
    present = {c: f"c{sheet.columns[c]}" for c in CANONICAL if c in sheet.columns}
    flags = sheet.frame.select(
        *(pl.col(name).str.contains(r"^\s|\s$").any().alias(f"s{name}") for name in present.values()),
        *(pl.col(name).str.contains(r"^\s*$").any().alias(f"b{name}") for name in present.values()),
    ).row(0, named=True)
    texts = {c: _stripped(name, flags[f"s{name}"], flags[f"b{name}"]) for c, name in present.items()}
    columns = (texts.get(c, pl.lit(None, pl.Utf8)).alias(f"t_{c}") for c in CANONICAL)
    frame = _numbered(sheet).select(LINE, *columns)
    return frame.filter(~pl.all_horizontal(pl.exclude(LINE).is_null()))


def _stripped(column: str, padded: bool, blank: bool) -> pl.Expr:
    """Only columns that need it are rewritten: copying a million strings costs more than looking."""
    text = pl.col(column).str.strip_chars() if padded else pl.col(column)
    return pl.when(text != "").then(text) if blank else text


def _mapped(work: pl.DataFrame, column: str, parse, dtype: pl.DataType) -> pl.Expr:
    """Parse each distinct value once and map the results back onto the column."""
    values = work.get_column(column).drop_nulls().unique().to_list()
    return pl.col(column).replace_strict(values, [parse(v) for v in values], default=None, return_dtype=dtype)


def _wage_code(text: str) -> str | None:
    try:
        parse_wage(text)
    except WageError as exc:
        return exc.code
    return None


def _wage_amount(text: str) -> int | None:
    return None if _wage_code(text) else parse_wage(text)


def _coded_sex(ddmmyy: str) -> str:
    return niks.BirthCode.read(ddmmyy).sex


def _parsed(work: pl.DataFrame, default_group: str, default_unit: str | None, today: dt.date) -> pl.DataFrame:
    """Typed canonical columns beside the texts; helper columns start with '_'."""
    raw = pl.col("t_nik")
    # Same cleaning as nik.clean: quotes, a float's '.0', and spaces, dots and dashes typed for readability.
    unquoted = raw.str.strip_chars("'")
    unfloated = pl.when(unquoted.str.contains(r"^[0-9]+\.0$")).then(unquoted.str.strip_suffix(".0"))
    cleaned = pl.coalesce(unfloated, unquoted).str.replace_all(r"[ .\-]", "")
    work = work.with_columns(
        cleaned.alias("nik"),
        raw.str.to_lowercase().str.contains("e+", literal=True).fill_null(False).alias("_sci"),
    )
    work = work.with_columns(
        (~pl.col("_sci") & pl.col("nik").str.contains(r"^[0-9]{16}$")).fill_null(False).alias("_nik_ok"),
        pl.col("nik").str.slice(0, 6).alias("_prefix"),
        pl.col("nik").str.slice(6, 6).alias("_ddmmyy"),
    )
    well_formed = work.filter("_nik_ok")
    prefixes = [p for p in well_formed.get_column("_prefix").unique().to_list() if nik_region(p)]
    text = {c: pl.col(f"t_{c}") for c in CANONICAL}
    unit_missing = text["unit_code"].is_null() & text["unit_name"].is_null()
    work = work.with_columns(
        pl.col("_prefix").is_in(prefixes).alias("_region_ok"),
        _mapped(well_formed, "_ddmmyy", _coded_sex, pl.Utf8()).alias("_nik_sex"),
        _mapped(work, "t_sex", parse_sex, pl.Utf8()).alias("_sex"),
        _mapped(work, "t_group", parse_group, pl.Utf8()).alias("_group"),
        _mapped(work, "t_monthly_wage", _wage_code, pl.Utf8()).alias("_wage_code"),
        _mapped(work, "t_monthly_wage", _wage_amount, pl.Int64()).alias("monthly_wage"),
        *(_mapped(work, f"t_{c}", parse_date, pl.Date()).alias(c) for c in DATE_COLUMNS),
        _single_spaced(text["name"]).alias("name"),
        text["village_code"].str.replace_all(r"[.\s]", "").alias("village_code"),
        text["kpj"].str.replace_all(r"[\s.\-]", "").alias("kpj"),
        pl.when(unit_missing)
        .then(pl.lit(default_unit, pl.Utf8))
        .otherwise(text["unit_code"])
        .alias("unit_code"),
        *(text[c].alias(c) for c in CANONICAL if c not in _DERIVED),
    ).with_columns(
        pl.coalesce("_sex", "_nik_sex").alias("sex"),
        pl.coalesce("_group", pl.lit(default_group)).alias("group"),
    )
    return work.with_columns(
        _nik_birth(work.filter("_nik_ok"), today).alias("_nik_birth"),
        _mapped(work, "birth_date", lambda born: niks.unusual_age(born, today), pl.Int64()).alias("_odd_age"),
    )


def _nik_birth(well_formed: pl.DataFrame, today: dt.date) -> pl.Expr:
    """nik.BirthCode.birth_date of each distinct (birth code, recorded date) pair, mapped back. Codes that
    agree make about as many pairs as there are distinct birth dates."""
    key = pl.concat_str("_ddmmyy", pl.col("birth_date").cast(pl.Utf8).fill_null(""), separator=" ")
    pairs = well_formed.select(key.alias("key"), "_ddmmyy", "birth_date").unique("key")
    born = [
        niks.BirthCode.read(code).birth_date(recorded, today)
        for code, recorded in pairs.select("_ddmmyy", "birth_date").iter_rows()
    ]
    return key.replace_strict(pairs.get_column("key"), born, default=None, return_dtype=pl.Date())


def _single_spaced(text: pl.Expr) -> pl.Expr:
    """Runs of whitespace as one space (tested first: rewriting every row with a regex is slow)."""
    return pl.when(text.str.contains(r"\s\s|[^\S ]")).then(text.str.replace_all(r"\s+", " ")).otherwise(text)


_DERIVED = {"nik", "name", "sex", "group", "monthly_wage", "village_code", "kpj", "unit_code", *DATE_COLUMNS}


def _checks(
    work: pl.DataFrame, unit_codes: set[str] | None, village_codes: set[str] | None, today: dt.date
) -> list[_Check]:
    """Every row rule, in the order its reasons are listed. NIK rules mirror nik.parse (property-tested)."""
    c, t = pl.col, (lambda name: pl.col(f"t_{name}"))
    nik_ok, digits = c("_nik_ok"), c("nik").str.contains(r"^[0-9]+$")
    checks = [
        _Check("nik", "empty", t("nik").is_null()),
        _Check("nik", "scientific", c("_sci")),
        _Check("nik", "not_digits", t("nik").is_not_null() & ~c("_sci") & ~digits),
        _Check("nik", "length", ~c("_sci") & digits & (c("nik").str.len_chars() != 16),
               {"length": c("nik").str.len_chars()}),
        _Check("nik", "region", nik_ok & ~c("_region_ok"), {"code": c("_prefix")}),
        _Check("nik", "date", nik_ok & c("_nik_birth").is_null(), {"ddmmyy": c("_ddmmyy")}),
        _Check("nik", "sequence", nik_ok & (c("nik").str.slice(12) == "0000")),
        _Check("nik", "birth_date_mismatch", nik_ok & (c("_nik_birth") != c("birth_date")),
               {"encoded": _Date(c("_nik_birth")), "recorded": _Date(c("birth_date"))}),
        _Check("nik", "sex_mismatch", nik_ok & (c("_sex") != c("_nik_sex")),
               {"encoded": c("_nik_sex"), "recorded": c("_sex")}),
        _Check("name", "required", c("name").is_null()),
        _Check("birth_date", "required", t("birth_date").is_null()),
        *(_Check(d, "date_invalid", t(d).is_not_null() & c(d).is_null(), {"value": t(d)})
          for d in DATE_COLUMNS),
        _Check("birth_date", "date_future", c("birth_date") > today, {"value": _Date(c("birth_date"))}),
        _Check("birth_date", "age_unusual", c("_odd_age").is_not_null(),
               {"age": c("_odd_age"), "on": today, "born": _Date(c("birth_date"))}, "warning"),
        _Check("end_date", "end_before_start", c("end_date") < c("start_date"),
               {"value": _Date(c("end_date"))}),
        _Check("sex", "sex_invalid", t("sex").is_not_null() & c("_sex").is_null(), {"value": t("sex")}),
        *(_Check("monthly_wage", code, c("_wage_code") == code, {"value": t("monthly_wage")})
          for code in ("wage_invalid", "wage_fraction", "wage_negative", "wage_range")),
        _Check("kpj", "kpj_invalid", ~c("kpj").str.contains(r"^[0-9]+$"), {"value": t("kpj")}),
        _Check("village_code", "village_invalid", _bad_village(village_codes), {"value": t("village_code")}),
        _Check("group", "group_invalid", t("group").is_not_null() & c("_group").is_null(),
               {"value": t("group")}),
        _Check("unit_name", "unit_required", c("unit_code").is_null() & c("unit_name").is_null()),
        *(_Check(name, "too_long", c(name).str.len_chars() > limit, {"limit": str(limit)})
          for name, limit in TEXT_LIMITS.items()),
    ]  # fmt: skip
    if unit_codes is not None:
        unknown = t("unit_code").is_not_null() & t("unit_name").is_null() & ~t("unit_code").is_in(unit_codes)
        checks.append(_Check("unit_code", "unit_unknown", unknown, {"value": t("unit_code")}))
    return checks


def _bad_village(village_codes: set[str] | None) -> pl.Expr:
    code = pl.col("village_code")
    bad = ~code.str.contains(r"^[0-9]{10}$")
    return bad | ~code.is_in(village_codes) if village_codes is not None else bad


def _fmt(code: str, lang: str, params: dict[str, pl.Expr | str | dt.date | _Date]) -> pl.Expr:
    """The message template of ``code`` filled column-wise: '{value}' placeholders become expressions."""
    pieces = re.split(r"\{(\w+)\}", MESSAGES[code][1 if lang.startswith("en") else 0])
    parts = []
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            parts.append(pl.lit(piece))
            continue
        value = params[piece]
        if isinstance(value, _Date):
            value = value.column.dt.strftime(formats.STRFTIME[formats.language(lang)])
        if isinstance(value, pl.Expr):
            parts.append(value.cast(pl.Utf8).fill_null(""))
        else:
            parts.append(pl.lit(str(formats.shown(value, lang))))
    return pl.concat_str(parts)


_ISSUE_SCHEMA = {LINE: pl.Int64, "column": pl.Utf8, "severity": pl.Utf8, "code": pl.Utf8, "message": pl.Utf8,
                 "message_id": pl.Utf8, "message_en": pl.Utf8, "_order": pl.Int32}  # fmt: skip


def _issues(work: pl.DataFrame, checks: list[_Check], sheet: Sheet, lang: str) -> pl.DataFrame:
    """One row per failed check, its reason in both languages; ``message`` is the one in ``lang``."""
    parts = [
        work.lazy()
        .filter(check.failed.fill_null(False))
        .select(
            pl.col(LINE),
            pl.lit(_column_label(sheet, check.column)).alias("column"),
            pl.lit(check.severity).alias("severity"),
            pl.lit(check.code).alias("code"),
            *_reasons(check, sheet),
            pl.lit(order, pl.Int32).alias("_order"),
        )
        for order, check in enumerate(checks)
    ]
    issues = pl.concat(parts).collect()
    uploader = pl.col("message_en" if lang.startswith("en") else "message_id").alias("message")
    return issues.with_columns(uploader).cast(_ISSUE_SCHEMA).select(list(_ISSUE_SCHEMA))  # type: ignore[arg-type]


def _reasons(check: _Check, sheet: Sheet) -> list[pl.Expr]:
    """message_id and message_en: a batch is read later in either language, whoever uploaded it."""
    params = {"column": _column_label(sheet, check.column), **check.params}
    return [_fmt(check.code, lang, params).alias(f"message_{lang}") for lang in ("id", "en")]


def _column_label(sheet: Sheet, column: str) -> str:
    """The operator's own header, or the first alias when the file has no such column."""
    return sheet.header_of(column) if column in sheet.columns else ALIASES[column][0]


def _duplicates(work: pl.DataFrame, issues: pl.DataFrame, sheet: Sheet, lang: str) -> pl.DataFrame:
    """A NIK seen again among the otherwise valid rows: the first keeps it, the later ones are rejected."""
    fine = work.select(LINE, "nik").filter(~pl.col(LINE).is_in(_error_lines(issues)))
    again = fine.filter(~pl.col("nik").is_first_distinct())
    first = (
        fine.filter(pl.col("nik").is_in(again.get_column("nik").implode()))
        .group_by("nik")
        .agg(pl.col(LINE).min().alias("_first"))
    )
    again = again.join(first, on="nik")
    check = _Check("nik", "duplicate_in_file", pl.lit(True), {"value": pl.col("_first")})
    return _issues(again, [check], sheet, lang).with_columns(
        pl.lit(len(_ISSUE_SCHEMA), pl.Int32).alias("_order")
    )


# ---------------------------------------------------------------------------------------- error file
def rejected_rows(checked: Checked) -> pl.DataFrame:
    """The operator's original cells of every rejected row, with the reasons joined into one text."""
    reasons = (
        checked.issues.filter(pl.col("severity") == "error")
        .group_by(LINE, maintain_order=True)
        .agg(
            pl.concat_str(pl.col("column"), pl.lit(": "), pl.col("message"))
            .str.join(" | ")
            .alias(REASON_HEADER)
        )
    )
    sheet = checked.sheet
    frame = _numbered(sheet)
    return frame.join(reasons, on=LINE, how="inner").sort(LINE)


def write_error_file(checked: Checked, path: str | Path) -> int:
    """Rejected rows as an XLSX that can be fixed and imported again as it is; returns the row count."""
    rows = rejected_rows(checked)
    reason = normalise_header(REASON_HEADER)  # a re-imported error file already has this column
    keep = [i for i, h in enumerate(checked.sheet.headers) if normalise_header(h) != reason]
    headers = [checked.sheet.headers[i] for i in keep] + [REASON_HEADER]
    book = xlsx.workbook(path, constant_memory=True)
    sheet = book.add_worksheet("Ditolak")
    text, bold = book.add_format({"num_format": "@"}), book.add_format({"bold": True, "num_format": "@"})
    sheet.set_column(0, len(headers) - 2, 18, text)  # text cells: a retyped NIK stays 16 digits
    sheet.set_column(len(headers) - 1, len(headers) - 1, 60)
    sheet.write_row(0, 0, headers, bold)
    columns = [f"c{i}" for i in keep] + [REASON_HEADER]
    for r, values in enumerate(rows.select(columns).iter_rows(), start=1):
        for col, value in enumerate(values):
            if value is not None:
                sheet.write_string(r, col, value)
    book.close()
    return rows.height
