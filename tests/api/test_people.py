"""People and units over the API: lists mask NIKs, full reads are audited, writes go through the services."""

from __future__ import annotations

import datetime as dt
import json

from payung.accounts.models import ApiToken, Role, User
from payung.audit.models import AuditEvent
from payung.registry.models import Person, Unit
from payung.registry.nik import compose


def _new_person(**changes) -> dict:
    body = {
        "nik": compose("537104", dt.date(1990, 1, 2), "L", 77),
        "name": "Yosef Ndun",
        "sex": "L",
        "birth_date": "1990-01-02",
        "birth_place": "Kupang",
    }
    return {**body, **changes}


def test_list_shows_only_the_users_region_with_masked_niks(api, world):
    response = api("kupang", "get", "/people")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert {row["name"] for row in data["results"]} == {"Maria Bere", "Maria Berek"}
    row = next(r for r in data["results"] if r["id"] == world.kupang.person.pk)
    assert row["nik"] == world.kupang.person.nik[:6] + "********" + world.kupang.person.nik[-2:]
    assert world.kupang.person.nik not in response.content.decode()


def test_list_filters_and_pages(api, world):
    other = Unit.objects.create(region=world.kupang.region, code="SD1", name="SD Inpres 1", kind="school")
    api(
        "kupang",
        "post",
        f"/people/{world.kupang.twin.pk}/engagements",
        {"unit_id": other.pk, "group": "teacher"},
    )
    by_unit = api("kupang", "get", "/people", {"unit": other.pk}).json()
    assert [r["id"] for r in by_unit["results"]] == [world.kupang.twin.pk]
    # unit and group must hold for the same engagement
    assert api("kupang", "get", "/people", {"unit": other.pk, "group": "non_asn"}).json()["count"] == 0
    assert api("kupang", "get", "/people", {"status": "ended"}).json()["count"] == 0
    page = api("kupang", "get", "/people", {"page_size": 1, "page": 2}).json()
    assert (page["count"], page["page"], len(page["results"])) == (2, 2, 1)


def test_search_by_nik_prefix_and_by_misspelt_name(api, world):
    target = world.kupang.person
    by_nik = api("kupang", "get", "/people", {"q": target.nik[:10]}).json()
    assert target.pk in [r["id"] for r in by_nik["results"]]
    by_name = api("kupang", "get", "/people", {"q": "Marya Berre"}).json()
    assert by_name["results"] and by_name["results"][0]["name"].startswith("Maria")


def test_read_gives_the_full_record_and_leaves_a_trail(api, world):
    target = world.kupang.person
    response = api("kupang_viewer", "get", f"/people/{target.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["nik"] == target.nik
    assert [e["unit_name"] for e in data["engagements"]] == [world.kupang.unit.name]
    event = AuditEvent.objects.get(action="person.view", object_id=str(target.pk))
    assert (event.actor, event.channel) == (world.users["kupang_viewer"], "api")


def test_create_registers_a_person_with_an_engagement(api, world):
    body = _new_person(
        engagement={"unit_id": world.kupang.unit.pk, "group": "non_asn", "monthly_wage": 2_500_000}
    )
    response = api("kupang", "post", "/people", body)
    assert response.status_code == 201, response.content
    created = Person.objects.get(pk=response.json()["id"])
    assert (created.region_id, created.engagements.get().monthly_wage) == ("5371", 2_500_000)
    assert AuditEvent.objects.filter(
        action="person.create", object_id=str(created.pk), channel="api"
    ).exists()


def test_invalid_nik_is_a_422_with_field_errors_in_the_callers_language(api):
    bad = _new_person(nik=compose("537104", dt.date(1990, 1, 2), "L", 77)[:-4] + "0000")
    indonesian = api("kupang", "post", "/people", bad)
    english = api("kupang", "post", "/people", bad, lang="en")
    assert indonesian.status_code == english.status_code == 422
    assert indonesian.json()["errors"]["nik"] == ["Nomor urut NIK tidak boleh 0000."]
    assert english.json()["errors"]["nik"] == ["The NIK sequence number cannot be 0000."]
    assert not Person.objects.filter(name="Yosef Ndun").exists()


def test_malformed_body_gets_plain_messages_per_field(api):
    response = api("kupang", "post", "/people", {"nik": "1", "birth_date": "30/04/1985", "sex": "L"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["name"] == ["Wajib diisi."]
    assert errors["birth_date"] == ["Tanggal harus ditulis sebagai YYYY-MM-DD."]


def test_wages_are_whole_rupiah(api, world):
    engagement = {"unit_id": world.kupang.unit.pk, "group": "rentan", "monthly_wage": 1500.5}
    response = api("kupang", "post", f"/people/{world.kupang.person.pk}/engagements", engagement)
    assert response.status_code == 422
    assert "monthly_wage" in response.json()["errors"]


def test_roles_that_only_read_get_403_on_visible_records(api, world):
    target = world.kupang.person.pk
    for who in ("kupang_viewer", "province"):
        assert api(who, "post", "/people", _new_person(region="5371")).status_code == 403
        assert api(who, "patch", f"/people/{target}", {"name": "X", "reason": "uji"}).status_code == 403
        status = {"status": "ended", "effective_date": "2026-01-01", "reason": "uji"}
        assert api(who, "post", f"/people/{target}/status", status).status_code == 403
    assert Person.objects.get(pk=target).name == "Maria Bere"


def test_create_into_another_tenant_is_404(api, world):
    response = api("kupang", "post", "/people", _new_person(region="5303"))
    assert response.status_code == 404
    assert response.json() == {"detail": "Tidak ditemukan."}


def test_unit_restricted_operator_must_place_the_new_person_in_its_unit(api, world):
    world.users["kupang"].units.add(world.kupang.unit)
    response = api("kupang", "post", "/people", _new_person())
    assert response.status_code == 422 and "engagement" in response.json()["errors"]


def test_patch_needs_a_reason_and_records_it(api, world):
    target = world.kupang.person
    path, read = f"/people/{target.pk}", {"version": target.version}
    assert api("kupang", "patch", path, {**read, "name": "Maria B.", "reason": " "}).status_code == 422
    response = api("kupang", "patch", path, {**read, "phone": "081234567890", "reason": "SK baru"})
    assert response.status_code == 200
    assert response.json()["phone"] == "081234567890" and response.json()["name"] == "Maria Bere"
    event = AuditEvent.objects.get(action="person.update", object_id=str(target.pk))
    assert (event.reason, event.after, event.channel) == ("SK baru", {"phone": "081234567890"}, "api")


def test_engagement_in_an_unknown_or_foreign_unit_reads_the_same(api, world):
    path = f"/people/{world.kupang.person.pk}/engagements"
    foreign = api("kupang", "post", path, {"unit_id": world.ttu.unit.pk, "group": "non_asn"})
    missing = api("kupang", "post", path, {"unit_id": 999_999, "group": "non_asn"})
    assert foreign.status_code == missing.status_code == 422
    assert foreign.json() == missing.json()


def test_status_change_updates_the_person(api, world):
    target = world.kupang.person
    body = {"status": "deceased", "effective_date": "2026-03-01", "reason": "Akta kematian"}
    response = api("kupang", "post", f"/people/{target.pk}/status", body)
    assert response.status_code == 201
    target.refresh_from_db()
    assert target.status == "deceased"
    assert api("kupang", "get", f"/people/{target.pk}").json()["history"][0]["reason"] == "Akta kematian"


def test_units_are_scoped(api, world):
    codes = {u["code"] for u in api("kupang", "get", "/units").json()}
    assert codes == {world.kupang.unit.code}
    both = {u["code"] for u in api("province", "get", "/units").json()}
    assert both == {world.kupang.unit.code, world.ttu.unit.code}


# ------------------------------------------------------------------------- optimistic locking (0013)
def _patch(api, who: str, person_id: int, body: dict, if_match: str | None = None):
    headers = {**api.world.auth(who), **({"If-Match": if_match} if if_match else {})}
    url = f"/api/v1/people/{person_id}"
    return api.client.patch(url, json.dumps(body), content_type="application/json", headers=headers)


def test_read_gives_the_version_as_etag_and_in_the_body(api, world):
    response = api("kupang", "get", f"/people/{world.kupang.person.pk}")
    assert response.headers["ETag"] == '"0"' and response.json()["version"] == 0


def test_a_patch_with_a_stale_if_match_is_409_and_the_first_change_survives(api, world):
    colleague = User.objects.create_user(
        "kupang2", first_name="Yosef", last_name="Lake", role=Role.OPERATOR, region_id="5371"
    )
    world.tokens["kupang2"] = ApiToken.issue(colleague, "ujian")[1]
    target = world.kupang.person.pk
    etag = api("kupang", "get", f"/people/{target}").headers["ETag"]

    first = _patch(api, "kupang2", target, {"phone": "081111111111", "reason": "Nomor baru"}, etag)
    second = _patch(api, "kupang", target, {"phone": "082222222222", "reason": "Nomor lain"}, etag)

    assert first.status_code == 200 and first.headers["ETag"] == '"1"'
    assert second.status_code == 409
    assert second.json()["detail"].startswith("Data ini sudah diubah oleh Yosef Lake pada ")
    assert "Baca ulang datanya lalu kirim lagi dengan versi terbaru." in second.json()["detail"]
    assert Person.objects.get(pk=target).phone == "081111111111"
    assert (
        _patch(
            api, "kupang", target, {"phone": "082222222222", "reason": "x"}, first.headers["ETag"]
        ).status_code
        == 200
    )


def test_a_stale_version_in_the_body_is_409(api, world):
    target = world.kupang.person.pk
    assert (
        _patch(api, "kupang", target, {"name": "Maria B.", "reason": "Salah ketik", "version": 0}).status_code
        == 200
    )
    stale = _patch(api, "kupang", target, {"phone": "081111111111", "reason": "Nomor", "version": 0})
    assert stale.status_code == 409
    assert Person.objects.get(pk=target).phone == ""


def test_a_patch_that_names_no_version_is_428_and_changes_nothing(api, world):
    response = _patch(api, "kupang", world.kupang.person.pk, {"phone": "081111111111", "reason": "Nomor"})
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"] and "version" in response.json()["detail"]
    assert Person.objects.get(pk=world.kupang.person.pk).phone == ""


def test_if_match_must_be_an_etag_and_agree_with_the_body(api, world):
    target = world.kupang.person.pk
    garbled = _patch(api, "kupang", target, {"phone": "081111111111", "reason": "Nomor"}, "kemarin")
    assert garbled.status_code == 422 and "If-Match" in garbled.json()["errors"]
    both = _patch(api, "kupang", target, {"phone": "081111111111", "reason": "N", "version": 5}, '"0"')
    assert both.status_code == 422 and "version" in both.json()["errors"]
    assert Person.objects.get(pk=target).phone == ""


def test_a_status_change_from_a_stale_read_is_409(api, world):
    target = world.kupang.person.pk
    assert (
        _patch(api, "kupang", target, {"name": "Maria B.", "reason": "Salah ketik"}, '"0"').status_code == 200
    )
    body = {"status": "ended", "effective_date": "2026-01-31", "reason": "Kontrak habis", "version": 0}
    assert api("kupang", "post", f"/people/{target}/status", body).status_code == 409
    assert Person.objects.get(pk=target).status == "active"
