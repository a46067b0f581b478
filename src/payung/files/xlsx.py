"""The one way Payung writes an XLSX: every string stays a string.

xlsxwriter's ``write()`` and ``write_row()`` turn a text starting with '=' into a live formula and an
'http://...' into a link by default, so an OPD name '=HYPERLINK(...)' or an agreement party '=1+1' typed by
one user would run in the spreadsheet of whoever opens the export. ``workbook`` forces those conversions
off whatever the caller asks; a formula Payung means (none today) would have to use ``write_formula``.
"""

from __future__ import annotations

from pathlib import Path

from xlsxwriter import Workbook

SAFE = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def workbook(path: str | Path, **options: object) -> Workbook:
    """An xlsxwriter Workbook at ``path`` (``options`` as xlsxwriter's) that never reads data as a formula."""
    return Workbook(str(path), {**options, **SAFE})
