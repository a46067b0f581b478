"""The pure parts of claims: the heirs' order and shares, the document checklist, the deadlines."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from payung.claims import deadlines, documents, heirs
from payung.claims.heirs import Facts

WITA = dt.timezone(dt.timedelta(hours=8))


# ------------------------------------------------------------------------------ heirs
def test_the_nearest_class_takes_the_benefit_spouse_first_then_the_eldest():
    family = [
        Facts("father", "parent"),
        Facts("young", "child", dt.date(2015, 1, 1)),
        Facts("wife", "spouse", dt.date(1985, 1, 1)),
        Facts("old", "child", dt.date(2010, 1, 1)),
    ]
    assert [h.key for h in heirs.entitled(family)] == ["wife", "old", "young"]
    assert heirs.shares(42_000_000, family) == {"wife": 14_000_000, "old": 14_000_000, "young": 14_000_000}


def test_without_spouse_or_children_the_next_classes_in_turn():
    assert [h.key for h in heirs.entitled([Facts("b", "sibling"), Facts("g", "grandchild")])] == ["g"]
    assert [h.key for h in heirs.entitled([Facts("w", "designated"), Facts("m", "parent_in_law")])] == ["m"]
    assert heirs.entitled([]) == [] and heirs.shares(1, []) == {}


@given(amount=st.integers(0, 10**12), count=st.integers(1, 12))
def test_shares_add_up_to_the_amount_and_differ_by_less_than_one_rupiah_per_heir(amount, count):
    found = heirs.shares(amount, [Facts(i, "child", dt.date(2000 + i, 1, 1)) for i in range(count)])
    assert sum(found.values()) == amount and max(found.values()) - min(found.values()) < count


def test_scholarship_children_are_unmarried_not_working_under_23_eldest_first():
    on = dt.date(2025, 7, 1)
    kids = [
        Facts("too_old", "child", dt.date(2002, 6, 30)),
        Facts("married", "child", dt.date(2004, 1, 1), True),
        Facts("a", "child", dt.date(2008, 1, 1)),
        Facts("b", "child", dt.date(2010, 1, 1)),
        Facts("c", "child", dt.date(2012, 1, 1)),
        Facts("spouse", "spouse"),
    ]
    assert [c.key for c in heirs.scholarship_children(kids, on, 23, 2)] == ["a", "b"]
    assert heirs.child_problem(kids[0], on, 23) == "age" and heirs.child_problem(kids[1], on, 23) == "married"
    assert heirs.child_problem(kids[0], on, None) is None  # before PP 82/2019 no age limit was set


# ------------------------------------------------------------------------------ documents
def test_the_checklist_follows_the_claim():
    jkm = documents.needed("JKM", "death", {"child"}, 0)
    assert jkm == [
        "kpj_card",
        "ktp_participant",
        "ktp_heir",
        "death_certificate",
        "family_card",
        "heir_statement",
        "bank_account",
    ]
    with_spouse = documents.needed("JKM", "death", {"spouse", "designated"}, 1)
    assert {"marriage_book", "will_deed", "school_certificate"} <= set(with_spouse)
    accident = documents.needed("JKK", "accident", set(), 0)
    assert accident == [
        "kpj_card",
        "ktp_participant",
        "bank_account",
        "accident_report_1",
        "accident_report_2",
        "medical_statement",
    ]


# ------------------------------------------------------------------------------ deadlines
def test_accident_reports_are_due_two_times_24_hours_after_the_accident_and_the_doctors_statement():
    at = dt.datetime(2025, 5, 10, 8, 0, tzinfo=WITA)
    first, second = deadlines.reports(at, at + dt.timedelta(days=20), 48, False, False)
    assert first.due == dt.datetime(2025, 5, 12, 8, 0, tzinfo=WITA)
    assert second.due == at + dt.timedelta(days=22)
    assert first.state(at + dt.timedelta(hours=10)) == "open"
    assert first.state(at + dt.timedelta(hours=30)) == "soon"
    assert first.state(at + dt.timedelta(hours=49)) == "late"
    assert deadlines.reports(at, None, 48, True, False)[0].state(at + dt.timedelta(days=9)) == "done"


def test_the_jkk_claim_expires_after_its_years_and_warns_90_days_before():
    at = dt.datetime(2024, 2, 29, 6, 0, tzinfo=WITA)
    expiry = deadlines.expiry(at, 5, False)
    assert expiry.due.date() == dt.date(2029, 2, 28)
    assert expiry.state(expiry.due - dt.timedelta(days=91)) == "open"
    assert expiry.state(expiry.due - dt.timedelta(days=89)) == "soon" and not expiry.sharp(
        expiry.due - dt.timedelta(days=89)
    )
    assert expiry.sharp(expiry.due - dt.timedelta(days=29))


def test_bpjs_pays_within_working_days():
    assert deadlines.add_working_days(dt.date(2025, 5, 9), 3) == dt.date(2025, 5, 14)  # Fri + 3 = Wed
    found = deadlines.payment(dt.date(2025, 5, 9), 7, False, WITA)
    assert found.due == dt.datetime(2025, 5, 21, tzinfo=WITA)  # the end of Tue 20 May
