"""The province rollup: every kab/kota side by side, ranked by the indicator set, the change since the last
coordination meeting; recording a meeting and its report (PDF and XLSX, Indonesian).

Scoping: a province monitor sees its own province; a superuser any (``?provinsi=``, NTT by default); a
kab/kota user has no province page (404). The rollup holds counts and money only, never names.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.audit.services import record
from payung.monitoring import exports, indicators, rollup, services
from payung.monitoring.models import Meeting
from payung.regions.models import Region
from payung.web.claims import _download
from payung.web.monitoring import period_of
from payung.web.monitoring_forms import MeetingForm, PeriodForm

DEFAULT_PROVINCE = "53"


def province_of(request: HttpRequest) -> Region:
    user = request.user
    if user.region_id:
        if user.region.level != Region.Level.PROVINCE:
            raise Http404
        return user.region
    if not user.is_superuser:
        raise Http404
    code = request.GET.get("provinsi", DEFAULT_PROVINCE)[:2]
    found = Region.objects.filter(code=code, level=Region.Level.PROVINCE).first()
    if found is None:
        raise Http404
    return found


@login_required
def rollup_page(request: HttpRequest) -> HttpResponse:
    province = province_of(request)
    period = period_of(request)
    found = rollup.districts(province, period)
    meeting = rollup.last_meeting(province)
    context = {
        "title": _("Rekap %(province)s") % {"province": province.name},
        "province": province,
        "period": period,
        "districts": found,
        "totals": rollup.totals(found),
        "meeting": meeting,
        "meetings": Meeting.objects.filter(province=province)[:5],
        "indicators": indicators.indicator_set(),
        "form": MeetingForm(initial={"held_on": timezone.localdate(), "period": period}),
        "period_form": PeriodForm(initial={"bulan": period}),
    }
    return render(request, "web/monitoring_province.html", context)


@login_required
def meeting_record(request: HttpRequest) -> HttpResponse:
    """Keep the rollup as it stands for a meeting: the next meeting's "change since" compares with it."""
    province = province_of(request)
    if request.method != "POST":
        raise Http404
    form = MeetingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Rapat tidak dicatat: periksa isiannya."))
        return redirect("monitoring_province")
    data = form.cleaned_data
    found = rollup.districts(province, data["period"])
    meeting = services.record_meeting(
        request.user,
        province,
        held_on=data["held_on"],
        period=data["period"],
        title=data["title"],
        results=[d.as_result() for d in found],
    )
    messages.success(request, _("Rapat dicatat. Unduh laporannya di bawah."))
    return redirect(f"{reverse('monitoring_province')}?bulan={meeting.period:%Y-%m}")


def _meeting(request: HttpRequest, province: Region) -> Meeting:
    pk = request.GET.get("rapat", "")
    found = Meeting.objects.filter(province=province, pk=int(pk)).first() if pk.isdigit() else None
    if found is None:
        raise Http404
    return found


def _report(request: HttpRequest, kind: str) -> FileResponse:
    province = province_of(request)
    meeting = _meeting(request, province)
    found = rollup.districts(province, meeting.period)
    # The meeting's own ranking as it was recorded; "change since" compares it with the meeting before.
    previous = (
        Meeting.objects.filter(province=province, held_on__lt=meeting.held_on).order_by("-held_on").first()
    )
    before = {r["region"]: r for r in previous.results} if previous else {}
    for district in found:
        district.before = before.get(district.region.code)
    today = timezone.localdate()
    name = f"rapat-{province.code}-{meeting.held_on:%Y-%m-%d}.{kind}"

    def build(path):
        if kind == "pdf":
            day = meeting.held_on or today
            return exports.meeting_pdf(
                found, path, province=province, title=meeting.title, period=meeting.period, today=day
            )
        return exports.meeting_xlsx(found, path, title=meeting.title, period=meeting.period)

    response = _download(request, build, name)
    record(
        request.user,
        "export",
        meeting,
        region_code=province.code,
        after={"format": f"meeting.{kind}"},
        channel="web",
    )
    return response


@login_required
def meeting_pdf(request: HttpRequest) -> FileResponse:
    return _report(request, "pdf")


@login_required
def meeting_xlsx(request: HttpRequest) -> FileResponse:
    return _report(request, "xlsx")
