"""Compile the translation catalogues (**/locale/*/LC_MESSAGES/django.po -> .mo) with Babel.

Run at install time (`make install`) so a fresh machine needs no GNU gettext to serve English pages.
Source strings are Indonesian (docs/decisions/0003-indonesian-source-strings.md), so only English has a
catalogue that matters; Indonesian needs none.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

PACKAGE_DIR = Path(__file__).resolve().parent


def compile_catalogues(root: Path = PACKAGE_DIR) -> list[Path]:
    written = []
    for po_path in sorted(root.glob("**/locale/*/LC_MESSAGES/django.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        mo_path = po_path.with_suffix(".mo")
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_catalogues():
        print(f"compiled {path}")
