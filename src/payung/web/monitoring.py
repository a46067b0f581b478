"""Monitoring pages of one kab/kota: coverage by group, unit, kecamatan, desa and program with the priority
groups first; the named list behind every number (XLSX, audited); the head-of-region dashboard.

Scoping: the region must be one the user monitors (monitoring.queries.regions: own kab/kota, a province
monitor's kab/kota, all for a superuser); these are region-wide records, so an operator limited to some
units gets 404 as for bills (accounts.scope.region_wide). Recording a regulation or a priority group and
recomputing are for the region's own users (a province monitor reads only).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from payung import formats
from payung.accounts import scope
from payung.audit.services import record
from payung.coverage import queries as coverage_queries
from payung.monitoring import charts, compute, exports, queries, services
from payung.monitoring.models import Reason
from payung.reconcile import services as reconcile_services
from payung.reconcile.findings import IMPACT_PARTS
from payung.reconcile.models import Reconciliation
from payung.registry.models import Group, Unit
from payung.web import monitoring_forms as f
from payung.web.claims import _download

PAGE_SIZE = 50
ACTIONS = {
    "no_agreement": gettext_lazy("Masukkan kelompok/unit ini ke PKS yang berlaku, atau buat PKS baru"),
    "never": gettext_lazy("Jalankan pendaftaran peserta dari halaman PKS dan kirim berkasnya ke BPJS"),
    "ended": gettext_lazy("Periksa statusnya; bila masih bekerja, perbarui penugasannya dan daftarkan ulang"),
    "lapsed": gettext_lazy("Lunasi tunggakan iuran lalu daftarkan ulang ke BPJS"),
    "unpaid": gettext_lazy("Bayar tagihan bulan ini"),
}


def period_of(request: HttpRequest) -> dt.date:
    form = f.PeriodForm(request.GET)
    chosen = form.cleaned_data.get("bulan") if form.is_valid() else None
    return compute.first_of(chosen or timezone.localdate())


def region_of(request: HttpRequest, code: str):
    region = queries.region_or_none(request.user, code)
    if region is None or scope.restricted_unit_ids(request.user) is not None:
        raise Http404
    return region


def _own(request: HttpRequest, region, *, editors: bool = True) -> None:
    """Writes on a region: its own users only (404 for anyone else, a province monitor included); records
    (a regulation, a priority group) by its editors, a recomputation by any of them."""
    if request.method != "POST" or scope.tenant_of(request.user) != region:
        raise Http404
    if editors and not request.user.can_edit:
        raise Http404


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The menu's entry: a kab/kota user's own coverage, a province monitor's rollup."""
    tenant = scope.tenant_of(request.user)
    if tenant is not None and scope.restricted_unit_ids(request.user) is None:
        return redirect("monitoring_region", code=tenant.code)
    if tenant is None and queries.regions(request.user).exists():
        return redirect("monitoring_province")
    # An operator limited to some units: coverage is region-wide (as bills are); say so, no dead end.
    return render(request, "web/monitoring_none.html", {"title": _("Pemantauan")})


@login_required
def region_page(request: HttpRequest, code: str) -> HttpResponse:
    region = region_of(request, code)
    period = period_of(request)
    summary = queries.summary(code, period)
    context = {
        "title": _("Cakupan %(region)s") % {"region": region.name},
        "region": region,
        "period": period,
        "summary": summary,
        "own": scope.tenant_of(request.user) == region,
        "period_code": f"{period:%Y-%m}",
        "period_form": f.PeriodForm(initial={"bulan": period}),
    }
    if summary is not None:
        context.update(
            priorities=queries.priorities(summary) if summary.source == "local" else [],
            breakdowns=[
                (by, label, *_cut(queries.named_rows(summary, by), by, request))
                for by, label in _breakdowns()
            ],
            programs=_programs(summary.figures),
            reasons=_reasons(summary.figures.get("reasons", {})),
            is_file=summary.source == "file",
            regulation=queries.regulation(code),
        )
    if context["own"] and request.user.can_edit:
        context.update(regulation_form=f.RegulationForm(), priority_form=f.PriorityForm(region=region))
    return render(request, "web/monitoring_region.html", context)


SHOWN = 25  # rows per breakdown before "show all": a region has hundreds of desa and units


def _cut(rows: list[dict], by: str, request: HttpRequest) -> tuple[list[dict], int]:
    """The largest gaps first, at most SHOWN unless ``?semua=<by>``; and how many were left out."""
    if request.GET.get("semua") == by or len(rows) <= SHOWN:
        return rows, 0
    return rows[:SHOWN], len(rows) - SHOWN


def _breakdowns() -> list[tuple[str, str]]:
    return [
        ("group", _("Menurut kelompok")),
        ("unit", _("Menurut unit kerja (OPD, sekolah, desa)")),
        ("kecamatan", _("Menurut kecamatan")),
        ("village", _("Menurut desa/kelurahan")),
    ]


def _programs(figures: dict) -> list[tuple[str, int, str]]:
    """(label, people, the list's program filter): each program, then "n of 4" BPJS TK programs."""
    found = figures.get("programs", {})
    rows = [(p, found.get(p, 0), p) for p in compute.PROGRAMS if found.get(p)]
    rows += [
        (_("%(n)s dari 4 program BPJS TK") % {"n": n}, found[f"tk{n}"], f"tk{n}")
        for n in (1, 2, 3, 4)
        if found.get(f"tk{n}")
    ]
    return rows


def _reasons(counts: dict) -> list[tuple[str, str, int, str]]:
    labels = dict(Reason.choices)
    return [
        (code, labels[code], counts[code], ACTIONS[code]) for code in compute.REASON_ORDER if counts.get(code)
    ]


# ------------------------------------------------------------------------------------------ named list
FILTERS = ("status", "reason", "unit", "group", "kind", "village", "kecamatan", "position", "program")


def _filters(request: HttpRequest) -> dict:
    chosen = {k: request.GET.get(k, "")[: 120 if k == "position" else 20] for k in FILTERS}
    chosen["status"] = chosen["status"] if chosen["status"] in queries.STATUSES else "people"
    chosen["reason"] = chosen["reason"] if chosen["reason"] in Reason.values else ""
    chosen["group"] = chosen["group"] if chosen["group"] in Group.values else ""
    chosen["kind"] = chosen["kind"] if chosen["kind"] in Unit.Kind.values else ""
    chosen["unit"] = int(chosen["unit"]) if chosen["unit"].isdigit() else None
    return chosen


def _list(request: HttpRequest, code: str):
    region = region_of(request, code)
    period = period_of(request)
    # The list behind the numbers the user just saw: the stored month, not recomputed on every page.
    summary = queries.summary(code, period, refresh=False)
    if summary is None or summary.source != "local":
        raise Http404
    chosen = _filters(request)
    rows = queries.named_list(request.user, summary, **chosen)
    return region, period, summary, chosen, rows.select_related("person", "unit")


@login_required
def named_list(request: HttpRequest, code: str) -> HttpResponse:
    region, period, summary, chosen, rows = _list(request, code)
    page = queries.page_of(rows, request.GET.get("page"), PAGE_SIZE)
    record(
        request.user,
        "view",
        object_type="monitoring.list",
        object_id=code,
        region_code=code,
        after={"period": period.isoformat(), **{k: v for k, v in chosen.items() if v}},
        channel="web",
    )
    query = request.GET.copy()
    query.pop("page", None)
    unit = Unit.objects.filter(pk=chosen["unit"], region=region).first() if chosen["unit"] else None
    context = {
        "title": _("Daftar nama"),
        "region": region,
        "period": period,
        "summary": summary,
        "page": page,
        "chosen": chosen,
        "unit": unit,
        "query": query.urlencode(),
        "reasons": dict(Reason.choices),
        "actions": ACTIONS,
        "groups": dict(Group.choices),
        "status_label": dict(_status_labels())[chosen["status"]],
    }
    return render(request, "web/monitoring_list.html", context)


def _status_labels() -> list[tuple[str, str]]:
    return [
        ("people", _("Semua orang di registri")),
        ("covered", _("Terlindungi")),
        ("paid", _("Dibayar iurannya")),
        ("unpaid", _("Terlindungi, belum dibayar")),
        ("uncovered", _("Belum terlindungi")),
    ]


@login_required
def named_list_xlsx(request: HttpRequest, code: str) -> FileResponse:
    region, period, summary, chosen, rows = _list(request, code)
    found = list(rows)
    name = f"daftar-{code}-{period:%Y-%m}-{chosen['status']}.xlsx"
    title = _("%(what)s, %(region)s, %(month)s") % {
        "what": dict(_status_labels())[chosen["status"]],
        "region": region.name,
        "month": formats.format_month(period, get_language() or "id"),
    }
    response = _download(request, lambda p: exports.named_xlsx(found, p, title=title, actions=ACTIONS), name)
    record(
        request.user,
        "export",
        object_type="monitoring.list.xlsx",
        object_id=str(len(found)),
        region_code=code,
        after={
            "format": "monitoring.xlsx",
            "rows": len(found),
            "period": period.isoformat(),
            **{k: v for k, v in chosen.items() if v},
        },
        channel="web",
    )
    return response


# ------------------------------------------------------------------------------------------ dashboard
def _paid_or_unknown(summary) -> int | None:
    """People paid for in a month; None for a month with no bill in Payung (before its first bill, the
    contributions were paid, or not, outside it: the chart leaves the month out rather than show 0)."""
    paid = summary.figures.get("paid", 0)
    return None if not paid and not summary.figures.get("money", {}).get("billed") else paid


@login_required
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    region = region_of(request, code)
    period = period_of(request)
    lang = get_language() or "id"
    history = queries.trend(code, period)
    summary = history[-1] if history and history[-1].period == period else queries.summary(code, period)
    labels = [formats.format_month(s.period, lang)[:3] + f" {s.period:%y}" for s in history]
    chart = charts.trend(
        labels,
        [
            (_("Orang di registri"), "people", [s.figures.get("people", 0) for s in history]),
            (_("Terlindungi"), "covered", [s.figures.get("covered", 0) for s in history]),
            (_("Dibayar"), "paid", [_paid_or_unknown(s) for s in history]),
        ],
        title=_("Cakupan 12 bulan"),
        number=lambda n: formats.format_number(n, lang),
    )
    context = {
        "title": _("Dasbor %(region)s") % {"region": region.name},
        "region": region,
        "period": period,
        "summary": summary,
        "chart": chart,
    }
    if summary is not None and summary.source == "local":
        units = [r for r in queries.named_rows(summary, "unit") if r["uncovered"]][:8]
        context.update(
            priorities=queries.priorities(summary),
            units=units,
            units_chart=charts.bars(
                [(r["name"], r["covered"], r["people"]) for r in units],
                title=_("Unit dengan kesenjangan terbesar"),
            ),
            expiring=coverage_queries.expiring(
                coverage_queries.agreements(request.user).filter(region=region), timezone.localdate()
            ),
            reconciliation=_last_reconciliation(code),
        )
    return render(request, "web/monitoring_dashboard.html", context)


def _last_reconciliation(code: str) -> dict | None:
    run = Reconciliation.objects.filter(region_id=code).order_by("-created_at", "-id").first()
    if run is None:
        return None
    parts = reconcile_services.impact_parts(run)["total"]
    lang = get_language() or "id"
    labels = {k: (en if lang.startswith("en") else ind) for k, (ind, en) in IMPACT_PARTS.items()}
    return {"run": run, "parts": [(labels[k], parts[k]) for k in IMPACT_PARTS]}


# ------------------------------------------------------------------------------------------ writes
@login_required
def refresh(request: HttpRequest, code: str) -> HttpResponse:
    region = region_of(request, code)
    _own(request, region, editors=False)
    period = period_of(request)
    for back in range(12):
        services.refresh(code, compute.add_months(period, -back), force=True)
    messages.success(request, _("Cakupan 12 bulan dihitung ulang."))
    return redirect(reverse("monitoring_dashboard", args=[code]) + f"?bulan={period:%Y-%m}")


@login_required
def regulation_add(request: HttpRequest, code: str) -> HttpResponse:
    region = region_of(request, code)
    _own(request, region)
    form = f.RegulationForm(request.POST)
    if form.is_valid():
        services.add_regulation(request.user, region, **form.cleaned_data)
        messages.success(request, _("Regulasi dicatat."))
    else:
        messages.error(request, _("Regulasi tidak dicatat: periksa isiannya."))
    return redirect("monitoring_region", code=code)


@login_required
def priority_add(request: HttpRequest, code: str) -> HttpResponse:
    region = region_of(request, code)
    _own(request, region)
    form = f.PriorityForm(request.POST, region=region)
    if form.is_valid():
        services.add_priority(request.user, region, **form.cleaned_data)
        messages.success(request, _("Kelompok prioritas dicatat."))
    else:
        messages.error(request, _("Kelompok prioritas tidak dicatat: periksa isiannya."))
    return redirect("monitoring_region", code=code)
