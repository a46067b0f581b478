"""The duplicate review queue's services: find candidates of a region, merge a pair, dismiss a pair.

Finding runs the linkage model (registry.linkage) over the region's people and adds the NIKs that are
also registered in another region (plain SQL). Found pairs become open DuplicateCandidate rows; a pair a
reviewer has already dismissed or merged is never opened again. Merging moves the engagements and
status history of one record onto the other and deletes it; the candidate row stays as the record of
the decision (its removed side becomes empty; the removed record is in its evidence and in the audit
trail), and other pairs that named the removed record now name the kept one. Every write is audited
with the reviewer's reason.
"""

from __future__ import annotations

import polars as pl
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from payung.audit.locking import claim
from payung.audit.services import record, snapshot, stored_user
from payung.registry import linkage
from payung.registry.models import DuplicateCandidate, Engagement, Person, StatusChange
from payung.registry.services import ValidationFailed

DEFAULT_THRESHOLD = linkage.DEFAULT_THRESHOLD
# Fields a merge copies from the removed record when the kept one has them blank.
FILLABLE = ["birth_place", "address", "village_id", "phone", "mother_maiden_name", "kpj"]

FIELD_LABELS = {
    "name": gettext_lazy("Nama"),
    "birth_date": gettext_lazy("Tanggal lahir"),
    "nik": gettext_lazy("NIK"),
    "sex": gettext_lazy("Jenis kelamin"),
    "birth_place": gettext_lazy("Tempat lahir"),
    "address": gettext_lazy("Alamat"),
    "village": gettext_lazy("Desa/Kelurahan"),
}
LEVEL_LABELS = {
    "same": gettext_lazy("sama"),
    "sounds_alike": gettext_lazy("bunyinya sama"),
    "very_similar": gettext_lazy("sangat mirip"),
    "similar": gettext_lazy("mirip"),
    "different": gettext_lazy("berbeda"),
    "missing": gettext_lazy("kosong"),
    "day_month_swapped": gettext_lazy("tanggal dan bulan tertukar"),
    "typo": gettext_lazy("salah ketik"),
    "sequence_typo": gettext_lazy("beda 1-2 digit, termasuk nomor urut"),
    "first_last_alike": gettext_lazy("nama depan dan belakang mirip"),
    "swapped": gettext_lazy("nama depan dan belakang tertukar"),
    "part_of": gettext_lazy("satu nama tidak ditulis"),
    "part_alike": gettext_lazy("hanya nama depan atau belakang yang mirip"),
    "region_sequence_same": gettext_lazy("wilayah dan nomor urut sama, kode lahir beda"),
    "century": gettext_lazy("tahun dua digit terbaca pada abad lain"),
    "same_year": gettext_lazy("tahun sama"),
    "reordered": gettext_lazy("kata atau spasi tertukar"),
    "number_typo": gettext_lazy("nomor beda, kata sama"),
    "same_day_sequence": gettext_lazy("kecamatan dan kode lahir sama, nomor urut berdekatan"),
    "other_region": gettext_lazy("terdaftar juga di wilayah lain"),
}


def describe(evidence: dict) -> list[str]:
    """The evidence of a candidate as short Indonesian (or English) phrases, e.g. 'NIK: beda satu digit'."""
    return [
        f"{FIELD_LABELS[name]}: {LEVEL_LABELS.get(code, code)}"
        for name, code in evidence.items()
        if name in FIELD_LABELS
    ]


# ---------------------------------------------------------------- finding


def people_frame(region) -> pl.DataFrame:
    """The region's people in the columns linkage.find_pairs reads."""
    fields = [{"village": "village__name"}.get(c, c) for c in linkage.INPUT_COLUMNS]
    rows = Person.objects.filter(region=region).order_by("id").values_list(*fields)
    schema = {
        "id": pl.Int64,
        "name": pl.String,
        "nik": pl.String,
        "sex": pl.String,
        "birth_date": pl.Date,
        "birth_place": pl.String,
        "address": pl.String,
        "village": pl.String,
    }
    return pl.DataFrame(list(rows), schema=schema, orient="row")


def same_nik_elsewhere(region) -> list[linkage.Pair]:
    """People of ``region`` whose NIK is also registered in another region (one NIK, one person)."""
    local = Person.objects.filter(region=region)
    others = Person.objects.exclude(region=region).filter(nik__in=local.values("nik"))
    local_ids = dict(local.filter(nik__in=others.values("nik")).values_list("nik", "id"))
    pairs = []
    for other_id, nik, other_region in others.values_list("id", "nik", "region_id"):
        left, right = sorted((local_ids[nik], other_id))
        evidence = {"nik": "same", "region": "other_region", "other_region": other_region}
        pairs.append(linkage.Pair(left, right, 1.0, evidence))
    return pairs


def find_candidates(region, *, user=None, threshold: float = DEFAULT_THRESHOLD, channel: str = "web") -> int:
    """Store the region's probable duplicates as open candidates; returns how many pairs are new."""
    # The model runs outside the transaction: on SQLite a write transaction blocks every other writer.
    pairs = same_nik_elsewhere(region) + linkage.find_pairs(people_frame(region), threshold)
    with transaction.atomic():
        new, updated = _store(region, pairs)
        record(
            user,
            "duplicates.find",
            object_type="regions.region",
            object_id=region.code,
            region_code=region.code,
            after={"pairs": len(pairs), "new": new, "updated": updated, "threshold": threshold},
            channel=channel,
        )
    return new


def _store(region, pairs: list[linkage.Pair]) -> tuple[int, int]:
    unique = {(p.left_id, p.right_id): p for p in pairs}  # first one wins: exact NIK before the model
    ids = {i for key in unique for i in key}
    known = {
        tuple(sorted((c.left_id, c.right_id))): c
        for c in DuplicateCandidate.objects.filter(left_id__in=ids, right_id__in=ids)
    }
    new, changed = [], []
    for key, pair in unique.items():
        candidate = known.get(key)
        if candidate is None:
            new.append(
                DuplicateCandidate(
                    region=region,
                    left_id=key[0],
                    right_id=key[1],
                    score=pair.probability,
                    evidence=pair.evidence,
                )
            )
        elif candidate.state == DuplicateCandidate.State.OPEN and (
            candidate.score != pair.probability or candidate.evidence != pair.evidence
        ):
            candidate.score, candidate.evidence = pair.probability, pair.evidence
            changed.append(candidate)
    DuplicateCandidate.objects.bulk_create(new, batch_size=1000)
    DuplicateCandidate.objects.bulk_update(changed, ["score", "evidence"], batch_size=1000)
    return len(new), len(changed)


def open_candidates(region):
    return DuplicateCandidate.objects.filter(
        region=region, state=DuplicateCandidate.State.OPEN
    ).select_related("left", "right")


# ---------------------------------------------------------------- deciding


def _check_open(candidate: DuplicateCandidate, reason: str) -> None:
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Alasan wajib diisi.")]
    if candidate.state != DuplicateCandidate.State.OPEN:
        errors["state"] = [_("Pasangan ini sudah diputuskan sebelumnya.")]
    if errors:
        raise ValidationFailed(errors)


def _resolve(candidate: DuplicateCandidate, state: str, user, reason: str) -> None:
    candidate.state = state
    candidate.resolved_by = stored_user(user)
    candidate.resolved_at = timezone.now()
    candidate.reason = reason.strip()


@transaction.atomic
def dismiss(candidate: DuplicateCandidate, *, user, reason: str, channel: str = "web") -> DuplicateCandidate:
    """Mark a pair as two different people; it will not be proposed again."""
    candidate = DuplicateCandidate.objects.select_for_update(of=("self",)).get(pk=candidate.pk)
    _check_open(candidate, reason)
    before = snapshot(candidate, ["state", "reason"])
    _resolve(candidate, DuplicateCandidate.State.DISMISSED, user, reason)
    candidate.save()
    record(
        user,
        "duplicate.dismiss",
        candidate,
        before=before,
        after=snapshot(candidate, ["state", "reason"]),
        reason=candidate.reason,
        channel=channel,
    )
    return candidate


@transaction.atomic
def merge(candidate: DuplicateCandidate, *, keep: Person, user, reason: str, channel: str = "web") -> Person:
    """Make the pair one person: ``keep`` takes the other's engagements and history; the other is deleted."""
    candidate = (
        DuplicateCandidate.objects.select_for_update(of=("self",))
        .select_related("left", "right")
        .get(pk=candidate.pk)
    )
    _check_open(candidate, reason)
    sides = {candidate.left_id: candidate.left, candidate.right_id: candidate.right}
    if keep.pk not in sides or len(sides) != 2:
        raise ValidationFailed({"keep": [_("Pilih salah satu dari kedua data yang dibandingkan.")]})
    keep = sides.pop(keep.pk)
    removed = sides.popitem()[1]
    if keep.region_id != removed.region_id:
        raise ValidationFailed({"keep": [_("Data dari dua wilayah berbeda tidak dapat digabung di sini.")]})
    claim(keep, None)  # it takes the other's history and blanks: a form opened on it before is stale
    before = {"kept": snapshot(keep), "removed": snapshot(removed)}
    moved = _move_history(removed, keep)
    filled = _fill_blanks(keep, removed)
    _resolve(candidate, DuplicateCandidate.State.MERGED, user, reason)
    candidate.evidence = {**candidate.evidence, "kept_id": keep.pk, "removed_id": removed.pk}
    candidate.save()
    repointed = _repoint_candidates(removed, keep, candidate)
    removed_id = removed.pk
    removed.delete()  # this candidate's side becomes NULL (SET_NULL); the decision stays
    after = {"kept": snapshot(keep), "removed_id": removed_id, "filled": filled, **moved, **repointed}
    record(user, "person.merge", keep, before=before, after=after, reason=candidate.reason, channel=channel)
    record(
        user,
        "duplicate.merge",
        candidate,
        before={"state": DuplicateCandidate.State.OPEN},
        after={"state": candidate.state, "kept_id": keep.pk, "removed_id": removed_id},
        reason=candidate.reason,
        channel=channel,
    )
    return keep


def _move_history(removed: Person, keep: Person) -> dict[str, list[int]]:
    """Engagements and status changes of ``removed`` onto ``keep``; a unit+group both have stays keep's."""
    kept = {(e.unit_id, e.group): e.pk for e in keep.engagements.all()}
    clashes = {
        e.pk: kept[(e.unit_id, e.group)] for e in removed.engagements.all() if (e.unit_id, e.group) in kept
    }
    for old, new in clashes.items():
        StatusChange.objects.filter(engagement_id=old).update(engagement_id=new)
    moved = list(removed.engagements.exclude(pk__in=clashes).values_list("pk", flat=True))
    Engagement.objects.filter(pk__in=moved).update(person=keep)
    Engagement.objects.filter(pk__in=clashes).delete()
    changes = list(StatusChange.objects.filter(person=removed).values_list("pk", flat=True))
    StatusChange.objects.filter(pk__in=changes).update(person=keep)
    latest = StatusChange.objects.filter(person=keep, engagement=None).first()
    if latest is not None and latest.status != keep.status:
        keep.status = latest.status
        keep.save(update_fields=["status"])
    return {"engagements_moved": moved, "engagements_dropped": list(clashes), "status_changes_moved": changes}


def _repoint_candidates(removed: Person, keep: Person, decided: DuplicateCandidate) -> dict[str, list[int]]:
    """Other pairs naming the removed record now name the kept one, so a dismissal (B is not C) carries
    over to the merged person (A is not C). Pairs that would name one person twice or repeat a pair go."""
    others = DuplicateCandidate.objects.filter(Q(left=removed) | Q(right=removed)).exclude(pk=decided.pk)
    taken = {
        frozenset((c.left_id, c.right_id))
        for c in DuplicateCandidate.objects.filter(Q(left=keep) | Q(right=keep))
    }
    repointed, dropped = [], []
    for candidate in others:
        pair = frozenset(keep.pk if i == removed.pk else i for i in (candidate.left_id, candidate.right_id))
        if len(pair) < 2 or pair in taken:
            dropped.append(candidate.pk)
            continue
        candidate.left_id, candidate.right_id = sorted(pair)
        candidate.save(update_fields=["left", "right"])
        taken.add(pair)
        repointed.append(candidate.pk)
    DuplicateCandidate.objects.filter(pk__in=dropped).delete()
    return {"candidates_repointed": repointed, "candidates_dropped": dropped}


def _fill_blanks(keep: Person, removed: Person) -> list[str]:
    filled = [f for f in FILLABLE if not getattr(keep, f) and getattr(removed, f)]
    for name in filled:
        setattr(keep, name, getattr(removed, name))
    if filled:
        keep.save(update_fields=[*filled, "updated_at"])
    return filled
