"""Stuck previews expire (`payung import expire`, and before every upload); the CLI stores a clean name."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from payung.audit.models import AuditEvent
from payung.registry import importer
from payung.registry.models import ImportBatch
from tests.registry.test_roster import GOOD, HEADER, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _dry_run(path: Path) -> dict:
    """A preview left uncommitted, as by an import killed between preview and commit."""
    out = StringIO()
    call_command("import", "roster", str(path), "--region", "5371", "--dry-run", "--json", stdout=out)
    return json.loads(out.getvalue())


def _age(batch_id: int, hours: float) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(created_at=timezone.now() - dt.timedelta(hours=hours))


def test_the_command_expires_old_previews_only(tmp_path, media):
    old = _dry_run(write_csv(tmp_path / "lama.csv", [HEADER, *GOOD]))
    fresh = _dry_run(write_csv(tmp_path / "baru.csv", [HEADER, *GOOD[:1]]))
    _age(old["batch"], 25)
    _age(fresh["batch"], 2)
    out = StringIO()
    call_command("import", "expire", stdout=out)
    assert out.getvalue().startswith("1 pratinjau impor kedaluwarsa")
    states = dict(ImportBatch.objects.values_list("pk", "state"))
    assert (states[old["batch"]], states[fresh["batch"]]) == ("expired", "preview")
    assert not (media / "imports" / str(old["batch"])).exists()
    assert (media / "imports" / str(fresh["batch"])).is_dir()
    expired = ImportBatch.objects.get(pk=old["batch"])
    assert "24 jam" in expired.message and expired.get_state_display() == "Kedaluwarsa"
    event = AuditEvent.objects.get(action="import.expired")
    assert (event.object_id, event.region_code, event.actor) == (str(old["batch"]), "5371", None)


def test_a_shorter_lifetime_and_a_refused_one(tmp_path):
    batch = _dry_run(write_csv(tmp_path / "r.csv", [HEADER, *GOOD]))
    _age(batch["batch"], 3)
    call_command("import", "expire", "--hours", "2", stdout=StringIO())
    assert ImportBatch.objects.get(pk=batch["batch"]).state == "expired"
    with pytest.raises(CommandError, match="--hours"):
        call_command("import", "expire", "--hours", "0")


def test_the_next_upload_expires_a_stuck_preview(tmp_path):
    stuck = _dry_run(write_csv(tmp_path / "r.csv", [HEADER, *GOOD]))
    _age(stuck["batch"], 30)
    _dry_run(write_csv(tmp_path / "s.csv", [HEADER, *GOOD[:1]]))
    assert ImportBatch.objects.get(pk=stuck["batch"]).state == "expired"


def test_an_expired_preview_cannot_be_committed(tmp_path):
    stuck = _dry_run(write_csv(tmp_path / "r.csv", [HEADER, *GOOD]))
    _age(stuck["batch"], 30)
    batch = importer.commit(ImportBatch.objects.get(pk=stuck["batch"]))
    assert batch.state == "expired" and batch.imported == 0


@pytest.mark.parametrize(
    ("name", "stored"),
    [("daf\ntar\u202e.csv", "daf tar.csv"), ("da\u202e\u0301ftar\x07.csv", "d\u00e1ftar.csv")],
)
def test_the_cli_stores_a_clean_name_of_the_file_it_is_given(tmp_path, name, stored):
    result = _dry_run(write_csv(tmp_path / name, [HEADER, *GOOD]))
    assert result["file"] == ImportBatch.objects.get(pk=result["batch"]).filename == stored
