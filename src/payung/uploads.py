"""Every uploaded file enters through here, on the web and the API alike: its size is checked and its
name is cleaned once, then it is written under a generated name in a private temporary folder.

The user's name is only ever a display name (the batch's "filename" column, messages, the format by its
extension): the basename without path parts, without control or direction-override characters, in NFC,
at most 255 bytes of UTF-8 with its extension kept. No file on disk is ever named after it, so names like
``%%``, ``..``, 300 bytes of ``é`` or ``../../etc/passwd`` are just text. The CLI cleans the name of the
file it is given with ``display_name`` too, since that name is stored.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from payung.registry.services import ValidationFailed

MAX_NAME_BYTES = 255  # the filename columns and most file systems
SUFFIX = re.compile(r"\.[a-z0-9]{1,10}")  # an extension worth keeping on the stored copy
# Display names, by what was uploaded, for a file whose own name has nothing usable left (``%%`` stays).
ROSTER, BPJS_FILE, REPLY_FILE = "daftar", "berkas-bpjs", "balasan-bpjs"


@dataclass(frozen=True)
class Upload:
    path: Path  # the stored copy, named by us
    name: str  # the cleaned display name


def display_name(raw: str | None, fallback: str) -> str:
    """The name a user gave a file, safe to store and show; ``fallback`` when nothing usable is left."""
    base = re.split(r"[/\\]", raw or "")[-1]
    kept = "".join(" " if c.isspace() else c for c in base if _printable(c))
    name = unicodedata.normalize("NFC", " ".join(kept.split()))  # after the removals: they split pairs
    if not name.strip("."):
        return fallback
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 16:  # no extension, or a dot inside a long name
        return shorten(name, "")
    return shorten(stem, f".{extension}")


def _printable(char: str) -> bool:
    # Categories C* are control, format (U+202E right-to-left override, zero-width marks), surrogates and
    # unassigned: invisible or misleading in a file list.
    return char.isspace() or not unicodedata.category(char).startswith("C")


def shorten(stem: str, tail: str, limit: int = MAX_NAME_BYTES) -> str:
    """``stem`` cut between characters so that ``stem + tail`` is at most ``limit`` bytes of UTF-8."""
    room = limit - len(tail.encode())
    return stem.encode()[:room].decode(errors="ignore") + tail


def size_problem(size: int) -> str | None:
    limit = settings.PAYUNG_MAX_UPLOAD_BYTES
    if size > limit:
        return _("Berkas terlalu besar: paling besar %(mb)s MB.") % {"mb": limit // 2**20}
    return None


@contextmanager
def received(file: UploadedFile, *, fallback: str) -> Iterator[Upload]:
    """The upload written to a temporary folder that is removed afterwards; a file over the size limit
    raises ValidationFailed on ``file`` before anything is written."""
    problem = size_problem(file.size or 0)
    if problem:
        raise ValidationFailed({"file": [problem]})
    name = display_name(file.name, fallback)
    folder = Path(tempfile.mkdtemp(prefix="payung-upload-"))
    try:
        path = folder / stored_name(name)
        with path.open("wb") as out:
            for chunk in file.chunks():
                out.write(chunk)
        yield Upload(path, name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def stored_name(name: str, stem: str = "upload") -> str:
    """A file name of our own for a copy of ``name``: ``stem`` plus its extension when that is plain."""
    suffix = Path(name).suffix.lower()
    return stem + (suffix if SUFFIX.fullmatch(suffix) else "")


class FileField(forms.FileField):
    """A form's upload: over the size limit is a form error, before the view sees the file."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        problem = size_problem(upload.size) if upload else None
        if problem:
            raise forms.ValidationError(problem)
        return upload
