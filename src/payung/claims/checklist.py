"""The claim's documents: which the checklist needs (claims.documents) and which are in hand. A file with
every needed document is 'documents complete', and goes back to draft when one is taken off."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.audit.locking import claim as take_version
from payung.audit.services import record
from payung.claims import documents
from payung.claims.models import Claim, ClaimState, Document
from payung.registry.services import ValidationFailed

OPEN = (ClaimState.DRAFT, ClaimState.COMPLETE)  # before BPJS has the file: still editable


def needed_documents(claim: Claim) -> list[str]:
    relations = {h.relation for h in claim.heirs.all()}
    quote = claim.quote or {}
    return documents.needed(
        claim.program, quote.get("event", "death"), relations, quote.get("scholarship_children", 0)
    )


def complete(claim: Claim) -> bool:
    held = set(claim.documents.values_list("code", flat=True))
    return set(needed_documents(claim)) <= held


def state_by_documents(claim: Claim) -> None:
    if claim.state in OPEN:
        claim.state = ClaimState.COMPLETE if complete(claim) else ClaimState.DRAFT


@transaction.atomic
def set_documents(
    user,
    claim: Claim,
    received: dict[str, str],
    *,
    on: dt.date | None = None,
    version: int | None,
    channel: str = "web",
) -> Claim:
    """The documents in hand now: ``received`` maps a checklist code to its note (e.g. a number); codes
    not in it are missing. A file with every needed document is 'documents complete'."""
    unknown = sorted(set(received) - set(documents.CODES))
    if unknown:
        raise ValidationFailed(
            {"documents": [_("Dokumen tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown)}]}
        )
    on = on or timezone.localdate()
    held = {d.code: d for d in claim.documents.all()}
    gone = [code for code in held if code not in received]
    new = {code: note for code, note in received.items() if code not in held}
    renoted = {code: note for code, note in received.items() if code in held and held[code].note != note}
    if not (gone or new or renoted):
        return claim
    take_version(claim, version)
    claim.documents.filter(code__in=gone).delete()
    Document.objects.bulk_create(
        [Document(claim=claim, code=c, received_on=on, note=n[:200]) for c, n in new.items()]
    )
    for code, note in renoted.items():
        Document.objects.filter(pk=held[code].pk).update(note=note[:200])
    state_by_documents(claim)
    claim.save(update_fields=["state"])
    record(
        user,
        "claim.documents",
        claim,
        before={"received": sorted(held)},
        after={"received": sorted(received)},
        channel=channel,
    )
    return claim
