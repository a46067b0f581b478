"""NIK check and regions: reference data, the same for every authenticated caller."""

from payung.registry.nik import compose


def test_nik_check_reports_region_birth_date_and_sex(api):
    import datetime as dt

    nik = compose("530301", dt.date(1979, 12, 5), "P", 3)
    data = api("kupang", "get", f"/nik/{nik}").json()
    assert data["valid"] is True
    assert (data["regency"], data["birth_date"], data["sex"]) == (
        "Kab. Timor Tengah Utara",
        "1979-12-05",
        "P",
    )
    mismatch = api("kupang", "get", f"/nik/{nik}", {"sex": "L"}, lang="en").json()
    assert mismatch["valid"] is False
    assert mismatch["reasons"][0]["message"].startswith("The sex in the NIK")


def test_nik_check_of_scientific_notation(api):
    data = api("kupang", "get", "/nik/5.37101E+15").json()
    assert [r["code"] for r in data["reasons"]] == ["scientific"]


def test_region_with_its_children(api):
    data = api("kupang", "get", "/regions/5303").json()
    assert (data["name"], data["level"], data["parent"]) == ("Kab. Timor Tengah Utara", 2, "53")
    assert data["children"] and all(
        c["code"].startswith("5303") and c["level"] == 3 for c in data["children"]
    )
    assert api("kupang", "get", "/regions/53.71").json()["name"] == "Kota Kupang"


def test_unknown_region_is_404_json(api):
    response = api("kupang", "get", "/regions/9999")
    assert response.status_code == 404 and response.json()["detail"] == "Tidak ditemukan."
