"""Demo claims on top of the demo registry, agreements, bills and payments (run after demo-coverage), so
the claim pages show something true on a fresh `make demo`: in Kota Kupang, deaths of non-ASN staff and
accidents of DLHK's street sweepers in every state (paid, paid with a difference, submitted, complete,
draft at risk for unpaid months) with heirs, documents and a scholarship; in Kab. TTU, a pekerja rentan's
death and an accident of one whose contributions the Pemda left unpaid.

Dates follow ``today`` and demo-coverage's bills (the last six months, the last two unpaid, the one before
them half paid). Everything goes through the claim services, as an operator would enter it. A region that
already has claims is left as it is: running again adds nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from payung.claims import checklist, family, services
from payung.claims.family import HeirData
from payung.claims.models import Claim
from payung.claims.services import Details, EventData
from payung.contributions import arrears
from payung.contributions.models import Bill, BillLine
from payung.coverage.models import Agreement, Membership
from payung.demo.coverage import AGREEMENTS
from payung.registry.models import Person
from payung.registry.nik import compose


@dataclass
class Spec:
    kind: str  # death | accident
    months_back: int  # the event's month, counted back from today's (0: this month)
    state: str  # draft | complete | submitted | paid
    work_related: bool = False
    unit: str = ""  # a unit code to pick the person from ("" any)
    heirs: tuple[tuple[str, str, int], ...] = ()  # (relation, given name, birth year)
    paid_less: int = 0  # BPJS paid this much less than computed
    details: dict = field(default_factory=dict)
    unpaid: bool = False  # pick someone whose half-paid month was not covered


KUPANG = (
    Spec(
        "death",
        4,
        "paid",
        heirs=(("spouse", "Yuliana", 1986), ("child", "Agnes", 2011), ("child", "Lukas", 2015)),
    ),
    Spec(
        "death",
        3,
        "paid",
        work_related=True,
        unit="DLHK",
        heirs=(("spouse", "Martha", 1979),),
        paid_less=2_000_000,
    ),
    Spec("death", 3, "submitted", heirs=(("spouse", "Regina", 1990), ("child", "Yosef", 2018))),
    Spec(
        "accident",
        2,
        "complete",
        unit="DLHK",
        details={"stmb_months": 2, "transport": "land", "transport_cost": 750_000},
    ),
    Spec("death", 0, "draft", heirs=(("parent", "Maria", 1958),), unpaid=True),
    Spec("accident", 0, "draft", unit="DLHK", details={"stmb_months": 1}),
)
TTU = (
    Spec("death", 4, "draft", heirs=(("spouse", "Fransiska", 1975), ("child", "Petrus", 2009))),
    Spec("accident", 0, "draft", unpaid=True, details={"stmb_months": 3}),
)


def load(today: dt.date, regions: list[str]) -> dict[str, int]:
    """Claims per region (added now; 0 when the region had claims already)."""
    specs = {"5371": KUPANG, "5303": TTU}
    return {code: _load_region(code, specs[code], today) for code in regions if code in specs}


def _load_region(code: str, specs: tuple[Spec, ...], today: dt.date) -> int:
    agreement = Agreement.objects.filter(region_id=code, number=AGREEMENTS[code].number).first()
    if agreement is None or Claim.objects.filter(region_id=code).exists():
        return 0
    taken: set[int] = set()
    for number, spec in enumerate(specs):
        on = _day(today, spec, number)
        person = _person(agreement, spec, taken, on)
        if person is not None:
            _claim(person, spec, on, today)
    return len(taken)


def _day(today: dt.date, spec: Spec, number: int) -> dt.date:
    if spec.months_back == 0:
        return today - dt.timedelta(days=1 + number % 2)  # yesterday or the day before: deadlines show
    month = arrears.add_months(today.replace(day=1), -spec.months_back)
    return month.replace(day=8 + 3 * number)


SPREAD = 7_919  # a prime step through a unit's members, so successive claims pick unrelated people


def _person(agreement: Agreement, spec: Spec, taken: set[int], on: dt.date) -> Person | None:
    """A member of the agreement on ``on`` (of the unit asked for); for ``unpaid``, one whose line on the
    half-paid bill stayed unpaid (the last in the bill's order)."""
    members = Membership.objects.filter(agreement=agreement, start__lte=on).filter(
        Q(end__isnull=True) | Q(end__gte=on)
    )
    members = members.exclude(person_id__in=taken)
    members = members.exclude(person__status="deceased")
    if spec.unit:
        members = members.filter(unit__code=spec.unit)
    if spec.unpaid:
        half_paid = Bill.objects.filter(agreement=agreement).order_by("-period")[2:3].first()
        if half_paid is None:
            return None
        lines = BillLine.objects.filter(bill=half_paid, person_id__in=members.values("person_id"))
        last = lines.order_by(*[o.desc() for o in arrears.line_order()]).first()
        found = last.person if last else None
    else:
        people = Person.objects.filter(pk__in=members.values("person_id")).order_by("name", "pk")
        count = people.count()
        # Spread over the alphabet (the first by name were all "Abraham ..."), the same on every run.
        found = people[(len(taken) * SPREAD + 1) % count] if count else None
    if found is not None:
        taken.add(found.pk)
    return found


def _claim(person: Person, spec: Spec, on: dt.date, today: dt.date) -> Claim:
    details = Details(
        member_since=dt.date(2019, 4, 10),
        children=sum(1 for h in spec.heirs if h[0] == "child"),
        **spec.details,
    )
    data = EventData(
        spec.kind,
        on,
        work_related=spec.work_related,
        occurred_time=dt.time(7, 30),
        place="Kupang" if person.region_id == "5371" else "Kefamenanu",
        cause=_cause(spec),
        reporter=_reporter(spec),
        details=details,
    )
    claim = services.record_event(None, person, data, channel="demo")
    surname = person.name.split(",")[0].split()[-1]  # the family name, without an academic title
    for index, (relation, given, year) in enumerate(spec.heirs, start=1):
        sex = "P" if given in ("Yuliana", "Martha", "Regina", "Agnes", "Maria", "Fransiska") else "L"
        born = dt.date(year, 1 + (index * 5) % 12, 3 + index)
        nik = compose(person.nik[:6], born, sex, 7000 + person.pk % 1000 + index)
        family.add_heir(
            None,
            claim,
            HeirData(relation, nik, f"{given} {surname}", born),
            version=claim.version,
            channel="demo",
        )
    if spec.state == "draft":
        needed = checklist.needed_documents(claim)
        checklist.set_documents(None, claim, {c: "" for c in needed[:2]}, on=on, version=claim.version)
        return claim
    _complete(claim, on, today, spec)
    return claim


def _complete(claim: Claim, on: dt.date, today: dt.date, spec: Spec) -> None:
    received = {
        code: (f"AK-{claim.pk:05d}" if code == "death_certificate" else "")
        for code in checklist.needed_documents(claim)
    }
    checklist.set_documents(
        None, claim, received, on=min(on + dt.timedelta(days=5), today), version=claim.version
    )
    if spec.state == "complete":
        return
    submitted = min(on + dt.timedelta(days=9), today)
    services.submit(
        None,
        claim,
        submitted,
        reference=f"TT/{submitted:%Y%m}/{claim.pk:04d}",
        version=claim.version,
        channel="demo",
    )
    if spec.state == "paid":
        paid_on = min(submitted + dt.timedelta(days=6), today)
        services.decide(
            None,
            claim,
            "paid",
            paid_on,
            amount=claim.computed_total - spec.paid_less,
            version=claim.version,
            channel="demo",
        )
        _scholarship(claim, paid_on)


def _scholarship(claim: Claim, on: dt.date) -> None:
    """The youngest qualifying child's scholarship for the school year of the payment."""
    children = [h for h in claim.heirs.order_by("-birth_date") if h.relation == "child"]
    if not children or not claim.quote.get("scholarship_children"):
        return
    year = on.year if on.month >= 7 else on.year - 1
    child = children[0]
    level = "tk_sd" if year - child.birth_date.year < 12 else "smp"
    found = family.add_scholarship(None, claim, child, year, level, version=claim.version, channel="demo")
    family.pay_scholarship(None, claim, found, on, found.amount, version=claim.version, channel="demo")


def _cause(spec: Spec) -> str:
    if spec.kind == "accident":
        return (
            "Tertabrak sepeda motor saat menyapu jalan" if spec.unit == "DLHK" else "Jatuh dari pohon kemiri"
        )
    return (
        "Kecelakaan lalu lintas dalam perjalanan ke tempat kerja" if spec.work_related else "Sakit (stroke)"
    )


def _reporter(spec: Spec) -> str:
    return "Kepala seksi kebersihan" if spec.unit == "DLHK" else "Keluarga (istri/suami)"
