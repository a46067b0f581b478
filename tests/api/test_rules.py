"""Rules and quotes over the API: reference data for every authenticated caller."""


def test_rules_in_force_and_history(api):
    rules = {r["key"]: r for r in api("kupang", "get", "/rules", {"on": "2023-05-01"}).json()}
    assert rules["pu.jp.wage_cap"]["in_force"]["value"] == "9559600"
    history = api("kupang", "get", "/rules/pu.jp.wage_cap/versions").json()
    assert history[0]["effective_from"] > history[-1]["effective_from"] == "2015-07-01"
    assert api("kupang", "get", "/rules/pu.nope/versions").status_code == 404


def test_an_operator_cannot_add_a_national_version(api):
    response = api(
        "kupang",
        "post",
        "/rules/pu.jp.wage_cap/versions",
        {"effective_from": "2027-03-01", "value": "11600000", "source": "Surat BPJS"},
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Anda tidak berhak menambah versi aturan untuk cakupan ini."}


def test_a_forbidden_version_is_403_before_its_values_are_checked(api):
    regional = {"effective_from": "2000-01-01", "value": "x", "source": "", "region": "5371"}
    assert api("kupang", "post", "/rules/pu.jp.wage_cap/versions", regional).status_code == 403


def test_a_bad_version_from_a_user_with_the_right_stays_422(api, world):
    world.users["kupang"].is_superuser = True
    world.users["kupang"].save()
    bad = {"effective_from": "2000-01-01", "value": "x", "source": ""}
    response = api("kupang", "post", "/rules/pu.jp.wage_cap/versions", bad)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"effective_from", "value", "source"}


def test_quote(api):
    data = api(
        "kupang",
        "get",
        "/contributions/quote",
        {"category": "pu", "amount": 2_500_000, "programs": "jkk,jkm", "jkk_class": 1, "on": "2023-05-01"},
    ).json()
    assert (data["total"], [p["employer"] for p in data["programs"]]) == (13_500, [6000, 7500])
    refused = api(
        "kupang",
        "get",
        "/contributions/quote",
        {"category": "pu", "amount": 0, "programs": "jkk", "jkk_class": 1},
        lang="en",
    )
    assert refused.status_code == 422 and "whole rupiah" in refused.json()["errors"]["amount"][0]
