"""Web pages of the budget: scenarios (what a year costs, part by part, from the registry), comparing them
side by side with a chart of their monthly cost, adopting one as a budget line, and each line's realisation
with its APBD-P versions.

Scoping: budget.queries (region-wide: a unit-limited operator sees none; another region's records are 404).
Writing (scenarios, variants, lines, amendments) is for those who manage money (admin, finance); for anyone
else the write URLs do not exist (404).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from payung import formats
from payung.accounts import scope
from payung.budget import assumptions, chart, exports, pricing, queries, realisation, saved, services
from payung.budget import lines as budget_lines
from payung.budget.models import BudgetLine, Scenario, Shares
from payung.coverage.models import FundingSource
from payung.registry.models import Group, SavedFilter
from payung.web import budget_tables
from payung.web.budget_forms import (
    FOUR,
    TWO,
    AdoptForm,
    AmendForm,
    GrowthForm,
    PlannedForm,
    ScenarioForm,
    places,
)
from payung.web.views import save_or_show, treasurer_required


def _post_only(request: HttpRequest) -> None:
    if request.method != "POST":
        raise Http404


def _scenario(request: HttpRequest, pk: int) -> Scenario:
    return scope.get_or_404(queries.scenarios(request.user).prefetch_related("parts"), pk=pk)


def _refused(form, refused: pricing.PricingError) -> None:
    form.add_error(None, refused.text(translation.get_language() or "id"))


# ------------------------------------------------------------------------------------------ the list
@login_required
def budget_home(request: HttpRequest) -> HttpResponse:
    return _home(request)


def _home(request: HttpRequest, form=None, status: int = 200) -> HttpResponse:
    user = request.user
    year = (
        int(request.GET["tahun"]) if request.GET.get("tahun", "").isdigit() else timezone.localdate().year + 1
    )
    year = min(max(year, pricing.FIRST_YEAR), pricing.LAST_YEAR)
    lines = queries.latest(
        queries.lines(user).filter(year__in=(year - 1, year)).prefetch_related("agreements")
    )
    context = {
        "title": _("Anggaran"),
        "year": year,
        "years": (year - 1, year, year + 1),
        "scenarios": queries.scenarios(user).filter(year=year).order_by("-id"),
        "lines": [{"line": line, "real": realisation.of_line(line)} for line in lines],
        "form": form or _create_form(request, year),
    }
    return render(request, "web/budget.html", context, status=status)


def _create_form(request: HttpRequest, year: int, data=None):
    if not (request.user.can_manage_money and scope.tenant_of(request.user)):
        return None
    region = scope.tenant_of(request.user)
    return ScenarioForm(data, initial={"year": year, "shares": Shares.EMPLOYER}, **_choices(region))


def _choices(region) -> dict:
    """The new-scenario form's places (desa, kecamatan) and the region's saved filters."""
    found = SavedFilter.objects.filter(region=region).order_by("name").values_list("pk", "name")
    return {"places": places(region), "saved": [(str(pk), name) for pk, name in found]}


@treasurer_required
def scenario_create(request: HttpRequest) -> HttpResponse:
    _post_only(request)
    region = scope.tenant_of(request.user)
    if region is None:
        raise Http404
    form = ScenarioForm(request.POST, **_choices(region))
    if form.is_valid():
        v = form.cleaned_data
        try:
            scenario = None

            def save():
                nonlocal scenario
                parts = saved.chosen(region, v["year"], tuple(v["programs"]), None, v["village"],
                                     v.get("saved_filter"))  # fmt: skip
                data = services.ScenarioData(
                    v["year"], v["name"], v["jkk_class"], v["shares"], v["wage_percent"], v["wage_from"],
                    v["umk"], v["umk_from"], parts=parts,
                )  # fmt: skip
                scenario = services.create(request.user, region, data)

            if save_or_show(form, save):
                return redirect("budget_scenario", scenario.pk)
        except pricing.PricingError as refused:
            _refused(form, refused)
    return _home(request, form, status=400)  # shown again, open, with its errors


# ------------------------------------------------------------------------------------------ a scenario
def _months(lang: str) -> list[str]:
    return [name[:3] for name in formats.MONTH_NAMES[formats.language(lang)]]


def _chart(scenarios: list[Scenario], priced: list[pricing.Priced]) -> str:
    lang = translation.get_language() or "id"

    def label(value: int) -> str:
        """An axis amount in the largest unit that keeps it whole (a desa's chart has steps of 750,000)."""
        if not value:
            return "0"
        if value % 1_000_000 == 0:
            return _("Rp %(n)s jt") % {"n": formats.format_number(value // 1_000_000, lang)}
        if value % 1_000 == 0:
            return _("Rp %(n)s rb") % {"n": formats.format_number(value // 1_000, lang)}
        return formats.format_rupiah(value, lang)

    series = [(s.name, p.months()) for s, p in zip(scenarios, priced, strict=True)]
    svg = chart.lines(series, _months(lang), label, _("Biaya per bulan"))
    return mark_safe(svg)  # noqa: S308  built by budget.chart, every text escaped there


@login_required
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = _scenario(request, pk)
    try:
        priced = queries.price(scenario)
    except pricing.PricingError as refused:  # the registry changed since (e.g. growth now empties a roster)
        return render(request, "web/budget_scenario.html", {"scenario": scenario, "refused": refused.text(
            translation.get_language() or "id")})  # fmt: skip
    shown = [scenario] + ([scenario.based_on] if scenario.based_on_id else [])
    prices = [priced] + [queries.price(s) for s in shown[1:]]
    people = priced.people(1)
    parts = [
        {
            "part": p,
            "index": i,
            "people": people.get(p.label, 0),
            "amount": priced.by("part").get(p.label, 0),
            "switch": FOUR if tuple(p.programs) == TWO else TWO,
            "name": _shown_label(p),
        }  # fmt: skip
        for i, p in enumerate(scenario.parts.all())
    ]
    can_write = request.user.can_manage_money
    context = {
        "title": scenario.name,
        "scenario": scenario,
        "priced": priced,
        "parts": parts,
        "chart": _chart(shown, prices),
        "tables": budget_tables.tables([priced]),
        "single": [scenario],
        "sources": [
            (FundingSource(k).label if k in FundingSource.values else k, v)
            for k, v in priced.by("source").items()
        ],
        "compare_url": reverse("budget_compare") + "?" + "&".join(f"s={s.pk}" for s in shown),
        "adopt": AdoptForm(initial={"adopted_on": timezone.localdate()}) if can_write else None,
        "planned": PlannedForm(initial={"from_month": 1, "category": "pu"}) if can_write else None,
        "grow": _growth_form(scenario) if can_write else None,
    }
    return render(request, "web/budget_scenario.html", context)


def _shown_label(part) -> str:
    """A group part keeps the Indonesian group name it was made with; shown in the reader's language."""
    if part.group in Group.values:
        with translation.override("id"):
            made_with = str(Group(part.group).label)
        if part.label == made_with:
            return str(Group(part.group).label)
        if part.village_id and part.label.startswith(made_with + " · "):  # "Perangkat desa · Namosain"
            return str(Group(part.group).label) + part.label[len(made_with) :]
    return part.label


@treasurer_required
def scenario_programs(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: a variant with one part's programs switched (2 <-> 4), shown beside the scenario."""
    _post_only(request)
    scenario = _scenario(request, pk)
    index = int(request.POST.get("part", "-1")) if request.POST.get("part", "").isdigit() else -1
    if not 0 <= index < scenario.parts.count():
        raise Http404
    try:
        programs = pricing.programs_of(request.POST.getlist("programs"))
        variant = services.with_programs(request.user, scenario, index, programs)
    except pricing.PricingError as refused:
        return render(request, "web/budget_scenario.html", {"scenario": scenario, "refused": refused.text(
            translation.get_language() or "id")}, status=400)  # fmt: skip
    return redirect(reverse("budget_compare") + f"?s={scenario.pk}&s={variant.pk}")


@treasurer_required
def scenario_planned(request: HttpRequest, pk: int) -> HttpResponse:
    """A variant with people not yet registered (e.g. the contract teachers of 26 schools)."""
    _post_only(request)
    scenario = _scenario(request, pk)
    form = PlannedForm(request.POST)
    if form.is_valid():
        v = form.cleaned_data
        variant = None

        def save():  # the head count from its month, then the later steps ("7:+30, 10:-5")
            nonlocal variant
            part = services.planned(
                v["label"], v["category"], v["people"], v["wage"], v["from_month"], tuple(v["programs"]),
                v["funding_source"], assumptions.steps(v["growth"]),
            )  # fmt: skip
            variant = services.with_planned(request.user, scenario, part)

        try:
            if save_or_show(form, save):
                return redirect(reverse("budget_compare") + f"?s={scenario.pk}&s={variant.pk}")
        except pricing.PricingError as refused:
            _refused(form, refused)
    return render(request, "web/budget_scenario.html", {"scenario": scenario, "planned": form}, status=400)


def _growth_form(scenario: Scenario, data=None) -> GrowthForm:
    parts = [(i, _shown_label(p)) for i, p in enumerate(scenario.parts.all())]
    return GrowthForm(data, parts=parts)


@treasurer_required
def scenario_growth(request: HttpRequest, pk: int) -> HttpResponse:
    """A variant in which one part grows (or shrinks) in steps from given months."""
    _post_only(request)
    scenario = _scenario(request, pk)
    form = _growth_form(scenario, request.POST)
    variant = None
    if form.is_valid():

        def save():
            nonlocal variant
            growth = assumptions.steps(form.cleaned_data["growth"])
            variant = services.with_growth(request.user, scenario, form.cleaned_data["part"], growth)

        try:
            if save_or_show(form, save):
                return redirect(reverse("budget_compare") + f"?s={scenario.pk}&s={variant.pk}")
        except pricing.PricingError as refused:
            _refused(form, refused)
    return render(request, "web/budget_scenario.html", {"scenario": scenario, "grow": form}, status=400)


@treasurer_required
def scenario_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    _post_only(request)
    scenario = _scenario(request, pk)
    form = AdoptForm(request.POST)
    line = None
    if form.is_valid():
        v = form.cleaned_data

        def save():
            nonlocal line
            line = budget_lines.adopt(request.user, scenario, v["account_code"], v["account_name"],
                                  v["funding_source"], v["adopted_on"])  # fmt: skip

        if save_or_show(form, save):
            return redirect("budget_line", line.pk)
    return render(request, "web/budget_scenario.html", {"scenario": scenario, "adopt": form}, status=400)


# ------------------------------------------------------------------------------------------ compare
@login_required
def budget_compare(request: HttpRequest) -> HttpResponse:
    wanted = [int(s) for s in request.GET.getlist("s") if s.isdigit()][:6]
    found = {s.pk: s for s in queries.scenarios(request.user).filter(pk__in=wanted).prefetch_related("parts")}
    scenarios = [found[pk] for pk in dict.fromkeys(wanted) if pk in found]
    if not scenarios:
        raise Http404
    try:
        priced = [queries.price(s) for s in scenarios]
    except pricing.PricingError as refused:
        context = {"scenario": scenarios[0], "refused": refused.text(translation.get_language() or "id")}
        return render(request, "web/budget_scenario.html", context)
    months = [{"month": m, "amounts": [p.months()[m - 1] for p in priced]} for m in pricing.MONTHS]
    context = {
        "title": _("Bandingkan skenario"),
        "scenarios": scenarios,
        "priced": priced,
        "totals": [p.total for p in priced],
        "chart": _chart(scenarios, priced),
        "tables": budget_tables.tables(priced),
        "months": months,
        "month_names": formats.MONTH_NAMES[formats.language(translation.get_language())],
    }
    return render(request, "web/budget_compare.html", context)


# ------------------------------------------------------------------------------------------ a budget line
@login_required
def line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    line = scope.get_or_404(queries.lines(request.user).prefetch_related("agreements"), pk=pk)
    versions = list(BudgetLine.objects.filter(series=line.series).order_by("-version"))
    newest = versions[0]
    form = None
    if request.user.can_manage_money:
        form = AmendForm(
            request.POST or None, initial={"amount": newest.amount, "adopted_on": timezone.localdate()}
        )
        if request.method == "POST" and form.is_valid():
            v = form.cleaned_data
            amended = None

            def save():
                nonlocal amended
                amended = budget_lines.amend(request.user, newest, v["amount"], v["adopted_on"], v["note"])

            if save_or_show(form, save):
                return redirect("budget_line", amended.pk)
    elif request.method == "POST":
        raise Http404
    context = {
        "title": str(newest),
        "line": newest,
        "shown": line,
        "versions": versions,
        "real": realisation.of_line(newest),
        "form": form,
        "month_names": formats.MONTH_NAMES[formats.language(translation.get_language())],
    }
    return render(
        request, "web/budget_line.html", context, status=400 if form is not None and form.errors else 200
    )


# ------------------------------------------------------------------------------------------ downloads
def _download(build, name: str) -> FileResponse:
    folder = Path(tempfile.mkdtemp(prefix="payung-budget-"))
    try:
        handle = build(folder / name).open("rb")  # still readable after its folder is gone
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return FileResponse(handle, as_attachment=True, filename=name)


@login_required
def scenario_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    scenario = _scenario(request, pk)
    priced = queries.price(scenario)
    response = _download(
        lambda p: exports.scenario_xlsx(scenario, priced, p), f"anggaran-{scenario.year}-{pk}.xlsx"
    )
    exports.audited(request.user, "budget.scenario.xlsx", scenario.region_id, priced.lines.height, scenario,
                    channel="web")  # fmt: skip
    return response


@login_required
def scenario_pdf(request: HttpRequest, pk: int) -> FileResponse:
    scenario = _scenario(request, pk)
    priced = queries.price(scenario)
    today = timezone.localdate()
    response = _download(lambda p: exports.summary_pdf(scenario, priced, p, today=today),
                         f"ringkasan-anggaran-{scenario.year}-{pk}.pdf")  # fmt: skip
    exports.audited(request.user, "budget.summary.pdf", scenario.region_id, 1, scenario, channel="web")
    return response


@login_required
def line_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    line = scope.get_or_404(queries.lines(request.user), pk=pk)
    newest = BudgetLine.objects.filter(series=line.series).order_by("-version").first()
    real = realisation.of_line(newest)
    response = _download(
        lambda p: exports.realisation_xlsx(newest, real, p), f"realisasi-{newest.year}-{pk}.xlsx"
    )
    exports.audited(request.user, "budget.realisation.xlsx", newest.region_id, 12, newest, channel="web")
    return response
