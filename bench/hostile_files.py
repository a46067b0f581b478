"""Benchmark: the probe's allocation bombs refused, and what the bounds check costs an honest workbook.

    .venv/bin/python bench/hostile_files.py [--rows 100000]

Each bomb of tests/files/corpus.py (one cell at XFD1048576, at A1048576, at GR900000; a sheet-XML zip bomb;
a CSV header two million columns wide) is read by the roster and BPJS-list readers in a fresh child process,
so each peak memory is its own; before the bounds (issue 14) the first killed the process (exit 134) and the
others took ~1 GB and seconds. Then an honest --rows XLSX roster: files.bounds.check_xlsx alone against the
whole read (reading.read), the share of the read the check adds.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from import_xlsx import write_xlsx  # noqa: E402  (a sibling script, not a package)

from tests.files.corpus import BOMBS  # noqa: E402


def bomb(name: str) -> dict:
    child = subprocess.run(
        [sys.executable, "-m", "tests.files.corpus", name],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(child.stdout)


def honest(rows: int) -> dict:
    from payung.files.bounds import check_xlsx
    from payung.registry import reading

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.xlsx"
        write_xlsx(rows, path)
        started = time.perf_counter()
        check_xlsx(path)
        check = time.perf_counter() - started
        started = time.perf_counter()
        reading.read(path)
        read = time.perf_counter() - started
    return {"rows": rows, "check_seconds": round(check, 2), "read_seconds": round(read, 2),
            "check_share_of_read": round(check / read, 2)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    for name in BOMBS:
        out = bomb(name)
        print(json.dumps({"file": name, **out[name], "peak_growth_mib": round(out["peak_growth_mib"], 1)}))
    import django

    django.setup()
    print(json.dumps(honest(args.rows)))


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.settings")
    main()
