"""Benchmark: a 100,000-row XLSX roster, whole import vs python-calamine alone reading the same file.

    .venv/bin/python bench/import_xlsx.py [--rows 100000] [--file ROSTER.xlsx] [--database-url URL]

The file is written like an operator's: text NIKs, real date cells for birth dates, numbers for wages.
"calamine alone" is opening the workbook and ``to_python()`` of its first sheet, the least any import must do.
"Import" is ``importer.run``: read, validate, store issues and the error file, and commit into a fresh
SQLite database (or --database-url). "Preview" is the same without the commit (``--dry-run``): reading
and checking only. Best of three for the calamine read; target ratio <= 1.5.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
import python_calamine
import xlsxwriter

sys.path.insert(0, str(Path(__file__).parent))
from import_csv import generate, peak_mib, setup_django  # noqa: E402  (a sibling script, not a package)


def write_xlsx(rows: int, path: Path) -> None:
    frame = generate(rows).with_columns(
        pl.col("Tgl Lahir").str.to_date("%d/%m/%Y", strict=False).alias("_date"),
        pl.col("Upah").str.strip_prefix("Rp ").cast(pl.Int64, strict=False).alias("_wage"),
    )
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Daftar")
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    headers = [c for c in frame.columns if not c.startswith("_")]
    sheet.write_row(0, 0, headers)
    birth, wage = headers.index("Tgl Lahir"), headers.index("Upah")
    for r, row in enumerate(frame.iter_rows(), start=1):
        for c, value in enumerate(row[: len(headers)]):
            if c == birth and row[-2] is not None:
                sheet.write_datetime(r, c, row[-2], dates)  # a real date cell, as Excel keeps typed dates
            elif c == wage and row[-1] is not None:
                sheet.write_number(r, c, row[-1])
            else:
                sheet.write_string(r, c, value)
    book.close()


def calamine_seconds(path: Path) -> float:
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--file", type=Path)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    path = args.file or Path(tempfile.gettempdir()) / f"payung-roster-{args.rows}.xlsx"
    if not path.exists():
        write_xlsx(args.rows, path)
    read = calamine_seconds(path)
    with tempfile.TemporaryDirectory(prefix="payung-bench-") as folder:
        setup_django(args.database_url or f"sqlite:///{folder}/bench.sqlite3", Path(folder))
        from payung.regions.models import Region
        from payung.registry import importer

        region = Region.objects.get(code="5371")
        started = time.perf_counter()
        importer.run(path, filename=path.name, region=region, channel="cli", dry_run=True)
        checked = time.perf_counter() - started
        started = time.perf_counter()
        batch = importer.run(path, filename=path.name, region=region, channel="cli")
        total = time.perf_counter() - started
        result = importer.summary(batch)
    print(json.dumps({
        "rows": result["total"], "imported": result["imported"], "rejected": result["rejected"],
        "calamine_read_seconds": round(read, 2),
        "preview_seconds": round(checked, 2), "preview_ratio": round(checked / read, 2),
        "import_seconds": round(total, 2), "ratio": round(total / read, 2), "peak_rss_mib": round(peak_mib()),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
