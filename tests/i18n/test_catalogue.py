"""The English UI must not fall back to Indonesian: every message in the code has an English translation."""

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.core.management import call_command

import payung
from payung.i18n import compile_catalogues

PACKAGE = Path(payung.__file__).parent


@pytest.fixture
def extracted(tmp_path, settings, monkeypatch):
    """Run makemessages over a copy of the package, merging into a copy of the committed catalogue."""
    copy = tmp_path / "payung"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    monkeypatch.chdir(copy)
    settings.LOCALE_PATHS = [copy / "locale"]
    call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    with (copy / "locale/en/LC_MESSAGES/django.po").open("rb") as handle:
        return read_po(handle)


def test_every_message_has_an_english_translation(extracted):
    missing = [m.id for m in extracted if m.id and (not m.string or m.fuzzy)]
    assert missing == [], f"{len(missing)} messages lack English: {missing[:20]}"


def test_catalogue_compiles(tmp_path):
    shutil.copytree(PACKAGE / "locale", tmp_path / "locale")
    written = compile_catalogues(tmp_path)
    assert written and all(p.stat().st_size > 0 for p in written)
