"""The budget lines' writes: adopting a scenario as a line, recording a line, and amending one (APBD-P: a
new version of the line, never an edit of the old one). Every write is audited."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from payung.audit.services import record, snapshot, stored_user
from payung.budget import pricing, queries
from payung.budget.models import BudgetLine, Scenario
from payung.coverage.models import Agreement
from payung.registry.services import ValidationFailed

ACCOUNT_REGION = re.compile(r"^(\d{2})\.?(\d{2})\.(?=\d)")


@dataclass(frozen=True)
class LineData:
    account_code: str
    account_name: str
    funding_source: str
    amount: int
    adopted_on: dt.date
    year: int
    note: str = ""
    agreement_ids: tuple[int, ...] = ()


def adopt(user, scenario: Scenario, code: str, name: str, source: str, adopted_on: dt.date, channel="web"):
    """The scenario's cost from ``source`` as a new budget line (version 1), linked to the region's agreements
    paid from that source and valid in the year."""
    amount = queries.price(scenario).by("source").get(source, 0)
    if amount <= 0:
        raise ValidationFailed(
            {"funding_source": [_("Skenario ini tidak punya biaya dari sumber dana itu.")]}
        )
    year_start, year_end = dt.date(scenario.year, 1, 1), dt.date(scenario.year, 12, 31)
    linked = Agreement.objects.filter(
        region=scenario.region, funding_source=source, valid_from__lte=year_end, valid_to__gte=year_start
    ).values_list("pk", flat=True)
    data = LineData(
        code,
        name,
        source,
        amount,
        adopted_on,
        scenario.year,
        _("Dari skenario %(name)s") % {"name": scenario.name},
        tuple(linked),
    )
    return add_line(user, scenario.region, data, scenario=scenario, channel=channel)


def add_line(
    user, region, data: LineData, *, scenario: Scenario | None = None, channel: str = "web"
) -> BudgetLine:
    _check_line(region, data)
    with transaction.atomic():
        line = BudgetLine.objects.create(
            region=region,
            year=data.year,
            series=uuid.uuid4().hex,
            version=1,
            stage=BudgetLine.Stage.ADOPTED,
            account_code=data.account_code.strip(),
            account_name=data.account_name.strip(),
            funding_source=data.funding_source,
            amount=data.amount,
            adopted_on=data.adopted_on,
            scenario=scenario,
            note=data.note,
            created_by=stored_user(user),
        )
        line.agreements.set(data.agreement_ids)
        record(user, "budget.line", line, after=snapshot(line), channel=channel)
    return line


def amend(
    user, line: BudgetLine, amount: int, adopted_on: dt.date, note: str = "", channel: str = "web"
) -> BudgetLine:
    """APBD-P: a new version of ``line`` with the new amount; the earlier versions stay as they were."""
    latest = BudgetLine.objects.filter(series=line.series).order_by("-version").first()
    data = LineData(
        latest.account_code, latest.account_name, latest.funding_source, amount, adopted_on, latest.year, note
    )
    _check_line(latest.region, data)
    if adopted_on < latest.adopted_on:
        raise ValidationFailed(
            {"adopted_on": [_("Perubahan tidak boleh bertanggal sebelum versi sebelumnya.")]}
        )
    with transaction.atomic():
        amended = BudgetLine.objects.create(
            **{
                f: getattr(latest, f)
                for f in (
                    "region_id",
                    "year",
                    "series",
                    "account_code",
                    "account_name",
                    "funding_source",
                    "scenario_id",
                )
            },  # fmt: skip
            version=latest.version + 1,
            stage=BudgetLine.Stage.AMENDED,
            amount=amount,
            adopted_on=adopted_on,
            note=note,
            created_by=stored_user(user),
        )
        amended.agreements.set(latest.agreements.all())
        record(
            user, "budget.amend", amended, before=snapshot(latest), after=snapshot(amended), channel=channel
        )
    return amended


def _check_line(region, data: LineData) -> None:
    errors: dict[str, list[str]] = {}
    if not data.account_code.strip() or not data.account_name.strip():
        errors["account_code"] = [_("Kode dan nama rekening wajib diisi.")]
    if not isinstance(data.amount, int) or not 0 < data.amount < pricing.MAX_AMOUNT * 1000:
        errors["amount"] = [_("Pagu harus bilangan bulat rupiah lebih dari 0.")]
    if not pricing.FIRST_YEAR <= data.year <= pricing.LAST_YEAR:
        errors["year"] = [_("Tahun anggaran tidak masuk akal.")]
    foreign = Agreement.objects.filter(pk__in=data.agreement_ids).exclude(region=region)
    if foreign.exists() or _account_of_another_region(region.code, data.account_code):
        errors["account_code"] = [
            _("Rekening atau PKS itu milik wilayah lain; pagu dicatat di wilayahnya sendiri.")
        ]
    if errors:
        raise ValidationFailed(errors)


def _account_of_another_region(code: str, account: str) -> bool:
    """An account written with a kab/kota prefix (SIPD style: '5303.5.1.02...' or '53.03.5.1.02...') that
    names another kab/kota than the line's own."""
    from payung.regions.models import Region

    found = ACCOUNT_REGION.match(account.strip())
    if found is None:
        return False
    prefix = found.group(1) + found.group(2)
    return prefix != code and Region.objects.filter(code=prefix, level=Region.Level.REGENCY).exists()
