"""The database-backed reconciliation: store BPJS's lists, run the stored registry against them, review.

- ``upload`` reads a BPJS list or bill with the file-only reader (reconcile.lists), refuses it as the
  command does (empty, damaged, the same KPJ twice), when it is over the upload limit, when no row has a
  valid NIK or KPJ, and when its NIKs clearly belong to another kab/kota; the typed rows are written as
  Parquet under MEDIA_ROOT and the snapshot row in one step: nothing is stored half-way.
- ``upload_and_run`` is how every channel uploads: a list the run then refuses stores nothing at all.
- ``run`` builds the roster from the registry (reconcile.registry_side: people with an engagement of the
  region current in the month, in the groups of the agreement valid that month; wages in force on the
  month's last day; programs and JKK class of that agreement, else ``findings.Options``' defaults) and
  passes both sides
  to the same linkage and classification as the file-only command. A BPJS row left without a partner
  whose NIK or KPJ is a registry person whose engagements ended before the month (StatusChange or end
  date) becomes ``billed_after_end``. Decisions on a finding carry over to the next run of the same month
  when the same fact (``Finding.key``) is found again; a rejected pair is never proposed again in that
  month (its two rows become what they are without each other); ``changes`` tells what a re-run changed.
- ``decide`` (accept/reject a proposed pair) and ``act`` (register, deactivate, correct the registry,
  dispute a bill line) need a reason; everything is audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.accounts import scope
from payung.audit.locking import claim
from payung.audit.services import record
from payung.reconcile import findings, linkage, lists, registry_side
from payung.reconcile.errors import ReconcileProblem
from payung.reconcile.linkage import B, R
from payung.reconcile.models import BpjsSnapshot, Finding, Reconciliation
from payung.registry.models import Person
from payung.registry.services import ValidationFailed

KINDS = (*findings.FINDINGS[:4], "billed_after_end", *findings.FINDINGS[4:])
LABELS = findings.LABELS | {
    "billed_after_end": ("Ditagih setelah meninggal/berhenti", "Billed after death or contract end")
}
# What a reviewer may do with each finding (Finding.Action).
ACTIONS: dict[str, tuple[str, ...]] = {
    "differences": ("correct", "dispute"),
    "roster_only": ("register",),
    "bpjs_only": ("deactivate", "dispute"),
    "billed_after_end": ("deactivate", "dispute"),
    "duplicate_bpjs": ("deactivate", "dispute"),
    "duplicate_roster": ("correct",),
    "matched": (),
}
PAIRED = ("matched", "differences")  # findings that propose a pair to accept or reject
OTHER_REGION_SHARE = 0.5  # one other kab/kota holds more than half the NIKs ...
OWN_REGION_SHARE = 0.1  # ... and the region itself under a tenth: the file is another region's
MIN_NIKS = 5


def can_reconcile(user) -> bool:
    """A reviewing or money role over the whole region: a run names every unit's people, so an operator
    limited to some units may neither run one nor read one (visible_runs)."""
    return bool(user.can_review or user.can_manage_money) and scope.restricted_unit_ids(user) is None


def visible_runs(user) -> QuerySet[Reconciliation]:
    return scope.region_wide(user, Reconciliation.objects.select_related("snapshot", "region", "created_by"))


def visible_findings(user) -> QuerySet[Finding]:
    findings = Finding.objects.select_related("reconciliation__snapshot", "region", "person")
    return scope.region_wide(user, findings)


def require(user, region) -> None:
    """Writing needs a reviewing or money role in the region itself (monitors only read). No user: the
    server's own command line, unscoped (accounts.cli)."""
    if user is None:
        return
    tenant = scope.tenant_of(user)
    if not can_reconcile(user) or tenant is None or tenant.pk != region.pk:
        raise PermissionDenied(_("Anda tidak berhak melakukan rekonsiliasi di wilayah ini."))


def parse_period(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise ReconcileProblem("period", value=text) from None


# ------------------------------------------------------------------------------------------------ upload
def upload_and_run(
    user, region, path: str | Path, *, filename: str, period: dt.date, kind: str = "", channel: str = "web"
) -> Reconciliation:
    """Store a BPJS list and run the registry against it as one write (web, API and CLI upload this way):
    a list the run refuses (nobody current in the month, no identifier shared with the registry, ...)
    leaves no snapshot, no audit row and no rows file."""
    stored: list[Path] = []
    try:
        with transaction.atomic():
            snapshot = upload(
                user, region, path, filename=filename, period=period, kind=kind, channel=channel
            )
            stored.append(Path(settings.MEDIA_ROOT) / snapshot.rows_file)
            return run(user, snapshot, channel=channel)
    except BaseException:
        for rows_file in stored:  # its own name (see upload): no other snapshot reads it
            rows_file.unlink(missing_ok=True)
        raise


def upload(
    user, region, path: str | Path, *, filename: str, period: dt.date, kind: str = "", channel: str = "web"
) -> BpjsSnapshot:
    require(user, region)
    path = Path(path)
    refuse_too_large(path)
    listing = lists.read(path, "bpjs", filename=filename)
    refuse_unidentified(listing)
    refuse_other_region(listing, region)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    # One rows file per snapshot, even for the same list uploaded twice: a failed run may delete its own.
    relative = Path("reconcile") / region.code / f"{digest}-{secrets.token_hex(4)}.parquet"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    listing.frame.write_parquet(temporary)
    try:
        with transaction.atomic():
            snapshot = BpjsSnapshot.objects.create(
                region=region,
                period=period.replace(day=1),
                kind=kind or ("bill" if "contribution" in listing.present else "list"),
                filename=filename[:255],
                sha256=digest,
                rows_file=str(relative),
                headers=listing.headers,
                row_count=listing.frame.height,
                uploaded_by=user,
            )
            record(user, "reconcile.upload", snapshot, after=_facts(snapshot), channel=channel)
            os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return snapshot


def refuse_too_large(path: Path) -> None:
    """The upload limit of the web form and the API, for a path the command line names (read unmeasured)."""
    limit = settings.PAYUNG_MAX_UPLOAD_BYTES
    if path.stat().st_size > limit:
        raise ReconcileProblem("too_large", mb=limit // 2**20)


def refuse_unidentified(listing: lists.Listing) -> None:
    """A list whose every row lacks a valid NIK and KPJ is not BPJS's (e.g. /etc/passwd with a "NIK"
    header): run against the registry, it would only report everyone as missing."""
    ids = listing.frame.select(pl.col("nik").is_not_null() | pl.col("kpj").is_not_null())
    if not ids.to_series().any():
        raise ReconcileProblem("no_identified_rows", side=listing.side, name=listing.name)


def _facts(snapshot: BpjsSnapshot) -> dict:
    return {
        "filename": snapshot.filename,
        "period": snapshot.period.isoformat(),
        "kind": snapshot.kind,
        "rows": snapshot.row_count,
        "sha256": snapshot.sha256,
    }


def refuse_other_region(listing: lists.Listing, region) -> None:
    """Refuse a list whose NIKs clearly come from another kab/kota (a NIK starts with its code)."""
    codes = listing.frame.get_column("nik").drop_nulls().str.slice(0, 4)
    if codes.len() < MIN_NIKS:
        return
    counts = codes.value_counts(sort=True)
    own = (codes == region.code).sum() / codes.len()
    top, top_count = counts.row(0)
    if top != region.code and top_count / codes.len() > OTHER_REGION_SHARE and own < OWN_REGION_SHARE:
        from payung.regions.models import Region

        other = Region.objects.filter(code=top).values_list("name", flat=True).first() or top
        raise ReconcileProblem(
            "other_region", name=listing.name, other=other, share=round(100 * top_count / codes.len()),
            region=region.name,
        )  # fmt: skip


def bpjs_listing(snapshot: BpjsSnapshot) -> lists.Listing:
    frame = pl.read_parquet(Path(settings.MEDIA_ROOT) / snapshot.rows_file)
    return lists.Listing("bpjs", snapshot.filename, frame, dict(snapshot.headers))


# ---------------------------------------------------------------------------------------------------- run
@dataclass
class Changes:
    counts: list[dict]  # per finding: kind, label, before, now
    new: list[Finding]
    closed: list[Finding]


@transaction.atomic
def run(user, snapshot: BpjsSnapshot, *, channel: str = "web") -> Reconciliation:
    region, period = snapshot.region, snapshot.period
    require(user, region)
    options, facts = registry_side.options_for(region, period)
    registry = registry_side.engagements(region, period)
    roster = registry_side.roster_listing(registry, period, facts["groups"])
    if roster.frame.is_empty():
        raise ReconcileProblem("no_roster", region=region.name, period=period)
    bpjs = bpjs_listing(snapshot)
    lists.refuse_no_common_identifier(roster, bpjs)
    refused = refused_pairs(region, period, roster.frame, bpjs.frame)
    linked = linkage.link(roster.frame.drop("person_id", "engagement_id"), bpjs.frame, refused=refused)
    found = findings.classify(roster, bpjs, linked, options)
    rows = found.rows.join(roster.frame.select(pl.col(lists.LINE).alias(R), "person_id", "engagement_id"),
                           on=R, how="left")  # fmt: skip
    rows = registry_side.after_end(rows, registry, period)
    previous = Reconciliation.objects.filter(region=region, snapshot__period=period).first()
    reconciliation = Reconciliation.objects.create(
        region=region,
        snapshot=snapshot,
        previous=previous,
        options={"programs": list(options.programs), "jkk_class": options.jkk_class,
                 "category": options.category, "billed_estimated": found.billed_estimated,
                 **{k: v for k, v in facts.items() if k != "groups"}},
        roster_rows=roster.frame.height,
        created_by=user,
    )  # fmt: skip
    made = [_finding(reconciliation, row) for row in rows.iter_rows(named=True)]
    _carry_over(made, previous)
    Finding.objects.bulk_create(made, batch_size=2_000)
    reconciliation.totals = totals(reconciliation)
    reconciliation.save(update_fields=["totals"])
    record(user, "reconcile.run", reconciliation, after={"totals": reconciliation.totals}, channel=channel)
    return reconciliation


def _bpjs_key(kpj: str | None, nik: str | None, line: int) -> str:
    """A BPJS row across runs and snapshots: its KPJ, else its NIK, else its line."""
    return f"k{kpj}" if kpj else f"n{nik}" if nik else f"l{line}"


def refused_pairs(region, period: dt.date, roster: pl.DataFrame, bpjs: pl.DataFrame) -> pl.DataFrame:
    """(R, B) of this run for every pair a reviewer rejected in an earlier run of the month: the same
    person and the same BPJS row (Finding.key) are two people, so they are not proposed again."""
    rejected = Finding.objects.filter(
        region=region, reconciliation__snapshot__period=period, state=Finding.State.REJECTED
    ).values_list("person_id", "evidence", "bpjs_line")
    pairs = {
        (str(person), _bpjs_key(evidence["bpjs"]["kpj"], evidence["bpjs"]["nik"], line))
        for person, evidence, line in rejected
    }
    if not pairs:
        return pl.DataFrame(schema={R: pl.Int64, B: pl.Int64})
    frame = pl.DataFrame(sorted(pairs), schema={"person_id": pl.Utf8, "bpjs_key": pl.Utf8}, orient="row")
    keys = [
        (line, _bpjs_key(kpj, nik, line))
        for line, kpj, nik in bpjs.select(lists.LINE, "kpj", "nik").iter_rows()
    ]
    sides = pl.DataFrame(keys, schema={B: pl.Int64, "bpjs_key": pl.Utf8}, orient="row")
    people = roster.select(pl.col(lists.LINE).alias(R), pl.col("person_id").cast(pl.Utf8))
    return frame.join(people, on="person_id").join(sides, on="bpjs_key").select(R, B)


SIDE_FIELDS = ("sheet_line", *findings.SHOWN)


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _finding(reconciliation: Reconciliation, row: dict) -> Finding:
    r = {f: _plain(row.get(f"r_{f}")) for f in SIDE_FIELDS} if row.get(R) is not None else None
    b = {f: _plain(row.get(f"b_{f}")) for f in SIDE_FIELDS} if row.get(B) is not None else None
    evidence = {"fields": {k[3:]: v for k, v in row.items() if k.startswith("ev_") and v}, "roster": r,
                "bpjs": b}  # fmt: skip
    if row.get("end_on") is not None:
        evidence["end"] = {"on": row["end_on"].isoformat(), "died": bool(row.get("died"))}
    person = row.get("person_id")
    bpjs_key = _bpjs_key(b["kpj"], b["nik"], row[B]) if b is not None else ""
    return Finding(
        reconciliation=reconciliation,
        region_id=reconciliation.region_id,
        kind=row["finding"],
        key=f"{row['finding']}:{person or ''}:{bpjs_key}"[:80],
        person_id=person,
        engagement_id=row.get("engagement_id") if row.get(R) is not None else None,
        roster_line=row.get(R),
        bpjs_line=row.get(B),
        score=row.get("score"),
        stage=row.get("stage") or "",
        differences=row.get("differences") or "",
        evidence=evidence,
        billed=row.get("billed"),
        computed=row.get("computed"),
        impact=row.get("impact") or 0,
    )


def _carry_over(made: list[Finding], previous: Reconciliation | None) -> None:
    """A decision stays with its fact: the same key found again keeps its state, action and reason."""
    if previous is None:
        return
    decided = {
        f.key: f
        for f in previous.findings.exclude(state=Finding.State.OPEN).only(
            "key", "state", "action", "reason", "resolved_by", "resolved_at"
        )
    }
    for finding in made:
        if old := decided.get(finding.key):
            finding.state, finding.action, finding.reason = old.state, old.action, old.reason
            finding.resolved_by_id, finding.resolved_at = old.resolved_by_id, old.resolved_at


def totals(reconciliation: Reconciliation) -> dict[str, dict[str, int]]:
    """Per finding: count and rupiah per month (billed, computed, impact); every kind listed."""
    from django.db.models import Count, Sum

    found = {
        row["kind"]: row
        for row in reconciliation.findings.values("kind").annotate(
            count=Count("id"),
            billed_sum=Sum("billed"),
            computed_sum=Sum("computed"),
            impact_sum=Sum("impact"),
        )
    }
    out = {}
    for kind in KINDS:
        row = found.get(kind, {})
        out[kind] = {
            "count": row.get("count", 0),
            "billed": int(row.get("billed_sum") or 0),
            "computed": int(row.get("computed_sum") or 0),
            "impact": int(row.get("impact_sum") or 0),
        }
    return out


def impact_parts(reconciliation: Reconciliation) -> dict[str, dict[str, int]]:
    """Per finding kind, its impact split into findings.IMPACT_PARTS (rupiah per month, each >= 0), plus
    ``total`` per part: one query. Never one sum of the parts (decision 0018)."""
    from django.db.models import Q, Sum

    cover = Q(kind__in=findings.COVER_KINDS)
    rows = (
        reconciliation.findings.order_by()
        .values("kind")
        .annotate(
            overpaid=Sum("impact", filter=~cover & Q(impact__gt=0), default=0),
            underbilled=Sum("impact", filter=~cover & Q(impact__lt=0), default=0),
            cover_cost=Sum("impact", filter=cover, default=0),
        )
    )
    found = {row["kind"]: {part: abs(int(row[part])) for part in findings.IMPACT_PARTS} for row in rows}
    out = {kind: found.get(kind, dict.fromkeys(findings.IMPACT_PARTS, 0)) for kind in KINDS}
    out["total"] = {part: sum(out[kind][part] for kind in KINDS) for part in findings.IMPACT_PARTS}
    return out


def changes(reconciliation: Reconciliation) -> Changes | None:
    """What a re-run changed against the run before it: counts per finding, findings new and closed."""
    previous = reconciliation.previous
    if previous is None:
        return None
    now, before = reconciliation.totals, previous.totals
    counts = [
        {"kind": k, "before": before.get(k, {}).get("count", 0), "now": now.get(k, {}).get("count", 0)}
        for k in KINDS
    ]
    keys_now = set(reconciliation.findings.exclude(kind="matched").values_list("key", flat=True))
    keys_before = set(previous.findings.exclude(kind="matched").values_list("key", flat=True))
    new = list(reconciliation.findings.filter(key__in=keys_now - keys_before).exclude(kind="matched"))
    closed = list(previous.findings.filter(key__in=keys_before - keys_now).exclude(kind="matched"))
    return Changes(counts, new, closed)


# ------------------------------------------------------------------------------------------------ review
def _decision(user, finding: Finding, reason: str, errors: dict) -> None:
    require(user, finding.region)
    if not reason.strip():
        errors["reason"] = [_("Alasan wajib diisi.")]
    if errors:
        raise ValidationFailed(errors)


def decide(
    user, finding: Finding, accept: bool, *, reason: str, version: int | None = None, channel: str = "web"
) -> Finding:
    """Accept or reject a proposed pair (matched or with differences). ``version``: see ``_save``."""
    errors = {}
    if finding.kind not in PAIRED:
        errors["decision"] = [_("Hanya pasangan yang diusulkan yang dapat diterima atau ditolak.")]
    _decision(user, finding, reason, errors)
    state = Finding.State.ACCEPTED if accept else Finding.State.REJECTED
    return _save(user, finding, (state, ""), reason, version, channel)


def act(
    user, finding: Finding, action: str, *, reason: str, version: int | None = None, channel: str = "web"
) -> Finding:
    """Register, deactivate, correct the registry or dispute a bill line, as the finding allows."""
    errors = {}
    if action not in ACTIONS.get(finding.kind, ()):
        errors["action"] = [_("Tindakan ini tidak berlaku untuk temuan ini.")]
    _decision(user, finding, reason, errors)
    return _save(user, finding, (Finding.State.RESOLVED, action), reason, version, channel)


def _save(user, finding: Finding, decision: tuple[str, str], reason: str, version, channel: str) -> Finding:
    """Store (state, action) over the ``version`` of the finding its reviewer read; without one, only a
    first decision: a decision nobody saw is never overwritten (audit.locking.Conflict)."""
    state, action = decision
    with transaction.atomic():
        claim(finding, version, **({} if version is not None else {"state": Finding.State.OPEN}))
        before = {"state": finding.state, "action": finding.action, "reason": finding.reason}
        finding.state, finding.action, finding.reason = state, action, reason.strip()
        finding.resolved_by, finding.resolved_at = user, timezone.now()
        finding.save(update_fields=["state", "action", "reason", "resolved_by", "resolved_at"])
        after = {"state": state, "action": action, "kind": finding.kind, "key": finding.key}
        record(user, "reconcile.review", finding, before=before, after=after, reason=reason, channel=channel)
    return finding


def person_of(finding: Finding) -> Person | None:
    return finding.person
