"""`payung reconcile ROSTER BPJS`: works on files alone (these tests have no database access), writes the
report and PAIRS.csv, prints counts as JSON, and refuses bad input with a message and no output."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from payung.reconcile import findings, synthetic
from payung.reconcile.report import read_pairs

PERIOD = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reconcile")
    scenario = synthetic.generate(400, seed=5)
    synthetic.write(scenario, folder / "roster.xlsx", folder / "bpjs.xlsx", PERIOD)
    return folder, scenario


def run(*args: str) -> str:
    out = StringIO()
    call_command("reconcile", *args, stdout=out)
    return out.getvalue()


def test_json_counts_agree_with_pairs_csv_and_cover_every_row(files):
    folder, scenario = files
    printed = run(
        str(folder / "roster.xlsx"), str(folder / "bpjs.xlsx"), "--out", str(folder / "report.xlsx"),
        "--pairs", str(folder / "pairs.csv"), "--json", "--period", "2026-01",
    )  # fmt: skip
    summary = json.loads(printed)
    pairs = read_pairs(folder / "pairs.csv")
    assert list(pairs[0]) == ["roster_line", "bpjs_line", "status", "score"]
    assert summary["counts"] == {f: n for f, n in Counter(p["status"] for p in pairs).items()} | {
        f: 0 for f in findings.FINDINGS if f not in {p["status"] for p in pairs}
    }
    roster_lines = [int(p["roster_line"]) for p in pairs if p["roster_line"]]
    bpjs_lines = [int(p["bpjs_line"]) for p in pairs if p["bpjs_line"]]
    assert sorted(roster_lines) == list(range(1, scenario.roster.height + 1))  # each row exactly once
    assert sorted(bpjs_lines) == list(range(1, scenario.bpjs.height + 1))
    for p in pairs:
        one_sided = p["status"] in ("roster_only", "bpjs_only", "duplicate_roster", "duplicate_bpjs")
        assert (p["roster_line"] == "" or p["bpjs_line"] == "") == one_sided
        assert (p["score"] == "") == (p["status"] in ("roster_only", "bpjs_only"))
    assert summary["counts"]["roster_only"] > 0 and summary["counts"]["bpjs_only"] > 0
    assert summary["counts"]["duplicate_bpjs"] > 0 and summary["counts"]["differences"] > 0


def test_report_has_a_summary_and_a_sheet_per_finding_that_add_up(files):
    folder, _ = files
    run(str(folder / "roster.xlsx"), str(folder / "bpjs.xlsx"), "--out", str(folder / "r.xlsx"),
        "--pairs", str(folder / "p.csv"), "--period", "2026-01")  # fmt: skip
    book = openpyxl.load_workbook(folder / "r.xlsx", read_only=True)
    assert book.sheetnames == ["Ringkasan", "Cocok", "Ada perbedaan", "Hanya di daftar", "Hanya di BPJS",
                               "Ganda di daftar", "Ganda di BPJS"]  # fmt: skip
    summary = list(book["Ringkasan"].iter_rows(values_only=True))
    top = next(i for i, row in enumerate(summary) if row[0] == "Temuan")
    for label, sheet in zip([r[0] for r in summary[top + 1 : top + 7]], book.sheetnames[1:], strict=True):
        row = next(r for r in summary if r[0] == label)
        data = list(book[sheet].iter_rows(min_row=2, values_only=True))
        assert row[1] == len(data)
        assert row[4] == sum(r[-1] or 0 for r in data)  # the impact column adds up to the summary


def test_bad_input_gives_a_message_and_writes_nothing(tmp_path, files):
    folder, _ = files
    bpjs = tmp_path / "bpjs.csv"
    with bpjs.open("w", newline="") as handle:
        csv.writer(handle).writerows([["KPJ", "NAMA PESERTA"], ["21000000001", "A"], ["21000000001", "B"]])
    out, pairs = tmp_path / "report.xlsx", tmp_path / "pairs.csv"
    with pytest.raises(CommandError, match="No KPJ 21000000001 tercantum lebih dari sekali"):
        run(str(folder / "roster.xlsx"), str(bpjs), "--out", str(out), "--pairs", str(pairs))
    with pytest.raises(CommandError, match="Periode harus ditulis YYYY-MM"):
        run(str(folder / "roster.xlsx"), str(folder / "bpjs.xlsx"), "--out", str(out), "--pairs", str(pairs),
            "--period", "Januari")  # fmt: skip
    with pytest.raises(CommandError, match="Program 'JKX' tidak dikenal"):
        run(str(folder / "roster.xlsx"), str(folder / "bpjs.xlsx"), "--out", str(out), "--pairs", str(pairs),
            "--programs", "jkk,jkx")  # fmt: skip
    assert list(tmp_path.iterdir()) == [bpjs]
