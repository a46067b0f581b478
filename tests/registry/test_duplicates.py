"""Duplicate detection (linkage model, exact NIK elsewhere) and the review decisions: merge and dismiss."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import polars as pl
import pytest
from django.core.management import CommandError, call_command

from payung.accounts.models import Role, User
from payung.audit.models import AuditEvent
from payung.registry import duplicates, linkage
from payung.registry.models import DuplicateCandidate, Engagement, Person, StatusChange, Unit
from payung.registry.names import index_values
from payung.registry.services import ValidationFailed

KUPANG, TTU = "5371", "5303"
D = dt.date

# Planted pairs (same person typed twice) and people who merely look alike.
ROWS = [
    # id, name, nik, sex, birth date, birth place
    (1, "Muhammad Iqbal", "5371011504850001", "L", D(1985, 4, 15), "Kupang"),
    (2, "Muh. Ikbal, S.Pd.", "5371011504850002", "L", D(1985, 4, 15), "Kota Kupang"),  # NIK typo
    (3, "Yohanes Bria", "5371020101900003", "L", D(1990, 1, 10), "Atambua"),
    (4, "Drs. Yohanis Berya", "5371021001900003", "L", D(1990, 10, 1), "Atambua"),  # day/month swapped
    (5, "Maria Goreti Seran", "5371035506920004", "P", D(1992, 6, 15), "Kefamenanu"),
    (6, "Maria Goreti Seran", "5371035506920040", "P", D(1992, 6, 15), "Kefamenanu"),  # transposed digits
    (7, "Agustinus Tefa", "5371030303770005", "L", D(1977, 3, 3), "Soe"),
    (8, "Siti Aminah", "5371014412880001", "P", D(1988, 12, 4), "Kupang"),
    (9, "Yohanes Seran", "5371021504850009", "L", D(1985, 4, 15), "Kupang"),  # same birth date as 1 and 2
    (10, "Yuliana Seran", "5371035506920011", "P", D(1992, 6, 15), "Kefamenanu"),  # her twin sister
]
PLANTED = {(1, 2), (3, 4), (5, 6)}


def frame(rows=ROWS) -> pl.DataFrame:
    schema = {
        "id": pl.Int64,
        "name": pl.String,
        "nik": pl.String,
        "sex": pl.String,
        "birth_date": pl.Date,
        "birth_place": pl.String,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


# ---------------------------------------------------------------- linkage (pure)


def test_linkage_finds_planted_duplicates_and_nothing_else():
    pairs = linkage.find_pairs(frame())
    assert {(p.left_id, p.right_id) for p in pairs} == PLANTED
    assert all(0.5 <= p.probability <= 1 for p in pairs)


def test_linkage_evidence_says_what_agreed():
    evidence = {(p.left_id, p.right_id): p.evidence for p in linkage.find_pairs(frame())}
    assert evidence[(1, 2)] == {
        "name": "sounds_alike",
        "birth_date": "same",
        "nik": "same_day_sequence",  # the last digit: a typo, or the next person born that day there
        "sex": "same",
        "birth_place": "same",
        "address": "missing",  # the frame has no address nor desa: no weight either way
        "village": "missing",
    }
    assert evidence[(3, 4)]["birth_date"] == "day_month_swapped"
    assert evidence[(3, 4)]["nik"] == "typo"  # the NIK carries the swapped date too
    assert evidence[(5, 6)]["name"] == "same"


def test_linkage_is_deterministic_and_order_free():
    first = linkage.find_pairs(frame())
    assert linkage.find_pairs(frame(list(reversed(ROWS)))) == first


def test_linkage_on_fewer_than_two_people():
    assert linkage.find_pairs(frame(ROWS[:1])) == []


def test_linkage_with_no_pair_above_the_threshold():
    # Two unrelated people: DuckDB answers with no rows at all (a tiny region's `duplicates find` crashed).
    assert linkage.find_pairs(frame([ROWS[6], ROWS[7]])) == []


def test_linkage_tolerates_missing_fields():
    rows = [
        (1, "Yohanes Bria", None, None, D(1990, 1, 10), None),
        (2, "Yohanes Bria", None, None, D(1990, 1, 10), ""),
    ]
    pairs = linkage.find_pairs(frame(rows), threshold=0.01)
    assert [(p.left_id, p.right_id) for p in pairs] == [(1, 2)]
    assert pairs[0].evidence["nik"] == "missing"


# ---------------------------------------------------------------- services


@pytest.fixture
def region(db):
    from payung.regions.models import Region

    return Region.objects.get(code=KUPANG)


@pytest.fixture
def reviewer(db):
    return User.objects.create_user("verif", password="x" * 12, role=Role.VERIFIER, region_id=KUPANG)


@pytest.fixture
def people(region):
    made = {}
    for pk, name, nik, sex, born, place in ROWS:
        made[pk] = Person.objects.create(
            region=region,
            nik=nik,
            name=name,
            sex=sex,
            birth_date=born,
            birth_place=place,
            **index_values(name),
        )
    return made


def pairs_of(region) -> set[frozenset]:
    return {frozenset((c.left_id, c.right_id)) for c in duplicates.open_candidates(region)}


def planted(people) -> set[frozenset]:
    return {frozenset((people[a].pk, people[b].pk)) for a, b in PLANTED}


def test_find_stores_open_candidates_once(region, people, reviewer):
    assert duplicates.find_candidates(region, user=reviewer) == 3
    assert pairs_of(region) == planted(people)
    assert duplicates.find_candidates(region, user=reviewer) == 0  # a second run adds nothing
    assert DuplicateCandidate.objects.count() == 3
    event = AuditEvent.objects.filter(action="duplicates.find").first()
    assert event.actor == reviewer and event.region_code == KUPANG and event.after["new"] == 0


def test_dismissed_pair_is_never_reopened(region, people, reviewer):
    duplicates.find_candidates(region, user=reviewer)
    candidate = DuplicateCandidate.objects.get(left=people[5], right=people[6])
    duplicates.dismiss(candidate, user=reviewer, reason="Kembar, NIK berbeda")
    assert duplicates.find_candidates(region, user=reviewer) == 0
    candidate.refresh_from_db()
    assert candidate.state == DuplicateCandidate.State.DISMISSED
    assert candidate.resolved_by == reviewer and candidate.reason == "Kembar, NIK berbeda"
    event = AuditEvent.objects.get(action="duplicate.dismiss")
    assert (event.actor, event.reason, event.object_id) == (
        reviewer,
        "Kembar, NIK berbeda",
        str(candidate.pk),
    )
    assert event.before["state"] == "open" and event.after["state"] == "dismissed"


@pytest.mark.parametrize("reason", ["", "   "])
def test_decisions_need_a_reason(region, people, reviewer, reason):
    duplicates.find_candidates(region, user=reviewer)
    candidate = DuplicateCandidate.objects.get(left=people[1], right=people[2])
    with pytest.raises(ValidationFailed) as dismissed:
        duplicates.dismiss(candidate, user=reviewer, reason=reason)
    with pytest.raises(ValidationFailed) as merged:
        duplicates.merge(candidate, keep=people[1], user=reviewer, reason=reason)
    assert dismissed.value.errors == merged.value.errors == {"reason": ["Alasan wajib diisi."]}
    candidate.refresh_from_db()
    assert candidate.state == DuplicateCandidate.State.OPEN
    assert Person.objects.filter(pk=people[2].pk).exists()
    assert not AuditEvent.objects.filter(action__in=["duplicate.dismiss", "duplicate.merge"]).exists()


def test_merge_moves_engagements_and_history_and_deletes_the_other(region, people, reviewer):
    keep, other = people[1], people[2]
    dlhk = Unit.objects.create(region=region, code="DLHK", name="DLHK", kind=Unit.Kind.OPD)
    school = Unit.objects.create(region=region, code="SD1", name="SD 1", kind=Unit.Kind.SCHOOL)
    Engagement.objects.create(person=keep, unit=dlhk, group="non_asn", monthly_wage=2_000_000)
    clash = Engagement.objects.create(person=other, unit=dlhk, group="non_asn", monthly_wage=2_100_000)
    moved = Engagement.objects.create(person=other, unit=school, group="teacher")
    history = StatusChange.objects.create(
        person=other, engagement=clash, status="ended", effective_date=D(2025, 1, 1)
    )
    other.phone = "081234567890"
    other.save()
    duplicates.find_candidates(region, user=reviewer)
    candidate = DuplicateCandidate.objects.get(left=keep, right=other)

    duplicates.merge(candidate, keep=keep, user=reviewer, reason="Orang yang sama, NIK salah ketik")

    assert not Person.objects.filter(pk=other.pk).exists()
    assert set(keep.engagements.values_list("unit__code", flat=True)) == {"DLHK", "SD1"}
    assert Engagement.objects.get(pk=moved.pk).person == keep
    history.refresh_from_db()
    assert history.person == keep and history.engagement.person == keep
    keep.refresh_from_db()
    assert keep.phone == "081234567890"  # a blank on the kept record is filled from the other
    candidate.refresh_from_db()
    assert candidate.state == DuplicateCandidate.State.MERGED and candidate.right is None
    assert candidate.evidence["removed_id"] == other.pk and candidate.resolved_by == reviewer
    event = AuditEvent.objects.get(action="person.merge")
    assert event.object_id == str(keep.pk) and event.reason == "Orang yang sama, NIK salah ketik"
    assert event.before["removed"]["nik"] == other.nik and event.after["engagements_moved"] == [moved.pk]
    assert AuditEvent.objects.filter(action="duplicate.merge", object_id=str(candidate.pk)).exists()


def test_merge_keeps_the_right_side_when_asked(region, people, reviewer):
    duplicates.find_candidates(region, user=reviewer)
    candidate = DuplicateCandidate.objects.get(left=people[3], right=people[4])
    duplicates.merge(candidate, keep=people[4], user=reviewer, reason="Sama")
    assert list(Person.objects.filter(pk__in=[people[3].pk, people[4].pk]).values_list("pk", flat=True)) == [
        people[4].pk
    ]


def test_a_decided_pair_cannot_be_decided_again(region, people, reviewer):
    duplicates.find_candidates(region, user=reviewer)
    candidate = DuplicateCandidate.objects.get(left=people[5], right=people[6])
    duplicates.dismiss(candidate, user=reviewer, reason="Beda orang")
    with pytest.raises(ValidationFailed):
        duplicates.merge(candidate, keep=people[5], user=reviewer, reason="Ternyata sama")
    assert Person.objects.filter(pk=people[6].pk).exists()


def test_merge_refuses_a_person_outside_the_pair(region, people, reviewer):
    duplicates.find_candidates(region, user=reviewer)
    candidate = DuplicateCandidate.objects.get(left=people[1], right=people[2])
    with pytest.raises(ValidationFailed) as failed:
        duplicates.merge(candidate, keep=people[7], user=reviewer, reason="Salah pilih")
    assert "keep" in failed.value.errors


def test_dismissal_carries_over_to_the_merged_person(region, people, reviewer):
    """B is not C, B is A: the B-C dismissal now reads A-C, so A-C is not proposed again."""
    a, b, c = people[1], people[2], people[9]
    done = DuplicateCandidate.objects.create(region=region, left=b, right=c, score=0.6, state="dismissed")
    duplicates.find_candidates(region, user=reviewer)
    duplicates.merge(DuplicateCandidate.objects.get(left=a, right=b), keep=a, user=reviewer, reason="Sama")
    done.refresh_from_db()
    assert {done.left_id, done.right_id} == {a.pk, c.pk} and done.state == "dismissed"


def test_same_nik_in_another_region_is_a_candidate(region, people, reviewer):
    twin = Person.objects.create(
        region_id=TTU,
        nik=people[7].nik,
        name="Agustinus Tefa",
        sex="L",
        birth_date=D(1977, 3, 3),
        **index_values("Agustinus Tefa"),
    )
    duplicates.find_candidates(region, user=reviewer)
    candidate = DuplicateCandidate.objects.get(left=people[7], right=twin)
    assert candidate.score == 1.0 and candidate.evidence["other_region"] == TTU
    with pytest.raises(ValidationFailed):
        duplicates.merge(candidate, keep=people[7], user=reviewer, reason="Sama")


def test_describe_evidence_in_indonesian():
    assert duplicates.describe({"nik": "typo", "birth_date": "day_month_swapped"}) == [
        "NIK: salah ketik",
        "Tanggal lahir: tanggal dan bulan tertukar",
    ]


# ---------------------------------------------------------------- CLI


def test_cli_find_and_list(region, people):
    out = StringIO()
    call_command("duplicates", "find", "--region", KUPANG, "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert (result["region"], result["new"], result["open"]) == (KUPANG, 3, 3)
    assert AuditEvent.objects.get(action="duplicates.find").channel == "cli"
    out = StringIO()
    call_command("duplicates", "list", "--region", KUPANG, "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == 3
    assert all("*" in row["left"]["nik"] for row in rows)  # NIKs masked
    out = StringIO()
    call_command("duplicates", "list", "--region", KUPANG, stdout=out)
    assert "Muhammad Iqbal" in out.getvalue()


def test_cli_unknown_region(db):
    with pytest.raises(CommandError, match="9999"):
        call_command("duplicates", "find", "--region", "9999")


def test_cli_find_acts_as_the_given_user(region, people, reviewer):
    User.objects.create_user("lihat", password="x" * 12, role=Role.VIEWER, region_id=KUPANG)
    with pytest.raises(CommandError, match="tidak berhak"):
        call_command("duplicates", "find", "--region", KUPANG, "--user", "lihat")
    with pytest.raises(CommandError, match="5303 tidak ditemukan"):
        call_command("duplicates", "find", "--region", TTU, "--user", "verif")
    assert not DuplicateCandidate.objects.exists()
    call_command("duplicates", "find", "--region", KUPANG, "--user", "verif", stdout=StringIO())
    assert AuditEvent.objects.get(action="duplicates.find").actor == reviewer
