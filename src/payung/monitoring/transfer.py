"""Districts on their own installation (decision 0022): export a month's summary as a signed file, import
one at the province. The imported summary is a Summary with source "file": the rollup reads it as it
reads local ones, and shows where it came from and when it was signed. Both ends leave an audit trail."""

from __future__ import annotations

import datetime as dt
import json

from django.db import transaction
from django.utils import timezone

from payung.audit.services import record, stored_user
from payung.monitoring import compute, queries, signing
from payung.monitoring.models import Source, Summary
from payung.monitoring.signing import Refused


def export(user, region_code: str, period: dt.date, *, channel: str = "cli") -> bytes:
    """The signed summary file of ``region_code`` for ``period`` (computed from this server's registry)."""
    first = compute.first_of(period)
    if not queries.has_local_data(region_code):
        raise Refused(f"Wilayah {region_code} tidak punya data registri di server ini.")
    summary = queries.summary(region_code, first)
    regulation = queries.regulation(region_code)
    extra = {
        "regulation": None
        if regulation is None
        else {
            "kind": regulation.kind,
            "number": regulation.number,
            "issued_on": regulation.issued_on.isoformat(),
            "title": regulation.title,
        },
        "budget_allocated": queries.budget_allocated(region_code, first.year, summary),
    }
    document = signing.build(
        region_code, first, summary.figures, summary.rows, extra=extra, signed_at=timezone.now()
    )
    signed = signing.sign(document, signing.district_key(region_code))
    record(
        user,
        "export",
        object_type="monitoring.summary",
        object_id=f"{region_code}/{first:%Y-%m}",
        region_code=region_code,
        after={"format": "coverage.summary"},
        channel=channel,
    )
    return json.dumps(signed, ensure_ascii=False, indent=1).encode()


def import_file(user, raw: bytes, *, filename: str, allowed_prefix: str, channel: str = "cli") -> Summary:
    """Store a district's signed summary. Refused: a bad signature, a region outside ``allowed_prefix``
    (the importing user's province), a file already imported, or one older than the stored one."""
    verified = signing.verify(raw)
    if not verified.region.startswith(allowed_prefix):
        raise Refused(f"Wilayah {verified.region} tidak termasuk wilayah Anda.")
    if Summary.objects.filter(file_sha256=verified.sha256).exists():
        raise Refused("Berkas ini sudah pernah diimpor.")
    with transaction.atomic():
        found = (
            Summary.objects.select_for_update()
            .filter(region_id=verified.region, period=verified.period, source=Source.FILE)
            .first()
        )
        if found is not None and found.signed_at >= verified.signed_at:
            raise Refused("Sudah ada ringkasan bulan ini yang ditandatangani sama atau lebih baru.")
        summary = found or Summary(region_id=verified.region, period=verified.period, source=Source.FILE)
        document = verified.document
        summary.computed_at = timezone.now()
        summary.as_of = verified.signed_at.date()
        summary.figures = {
            **document["figures"],
            "regulation": document.get("regulation"),
            "budget_allocated": document.get("budget_allocated"),
        }
        summary.rows = document.get("rows", [])
        summary.file_name = filename[:255]
        summary.file_sha256 = verified.sha256
        summary.signed_at = verified.signed_at
        summary.imported_by = stored_user(user)
        summary.save()
        record(
            user,
            "import",
            summary,
            after={
                "file": filename,
                "period": f"{verified.period:%Y-%m}",
                "signed_at": verified.signed_at.isoformat(),
            },
            channel=channel,
        )
    return summary
