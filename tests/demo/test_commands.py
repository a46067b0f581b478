"""The demo commands against a real (test) database: idempotent users and data, and the roster writer."""

import io
import json

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from payung.accounts.models import Role, User
from payung.demo import people
from payung.demo.users import DEMO_USERS
from payung.registry.models import Engagement, Person, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    """PBKDF2's deliberate slowness costs seconds per demo user; the test checks behaviour, not strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_demo_users_one_per_role_idempotent_and_printed():
    first = run("demo-users")
    second = run("demo-users")
    assert User.objects.count() == len(DEMO_USERS) == 9
    for spec in DEMO_USERS:
        assert spec.username in second and spec.password in second
        assert len(spec.password) >= 10
        user = authenticate(username=spec.username, password=spec.password)
        assert user is not None and user.role == spec.role and user.region_id == spec.region_code
    kupang_roles = set(User.objects.filter(region_id="5371").values_list("role", flat=True))
    assert kupang_roles == {Role.ADMIN, Role.OPERATOR, Role.VERIFIER, Role.FINANCE, Role.VIEWER}
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="ntt.provinsi").role == Role.PROVINCE
    assert "9 dibuat" in first and "0 dibuat" in second


def test_demo_users_resets_a_changed_password():
    run("demo-users")
    user = User.objects.get(username="kupang.operator")
    user.set_password("something-else-entirely")
    user.save()
    run("demo-users")
    assert authenticate(username="kupang.operator", password="kupang-operator-demo") is not None


def test_demo_data_loads_units_with_kinds_and_is_idempotent():
    run("demo-data", scale=0.01, seed=3)
    counts = (Person.objects.count(), Engagement.objects.count(), Unit.objects.count())
    run("demo-data", scale=0.01, seed=3)
    assert (Person.objects.count(), Engagement.objects.count(), Unit.objects.count()) == counts
    expected = sum(people.generate(code, scale=0.01, seed=3).people.height for code in people.PROFILES)
    assert counts[0] == counts[1] == expected
    assert Unit.objects.filter(region_id="5371", kind=Unit.Kind.SCHOOL).count() == 26
    assert Unit.objects.get(region_id="5371", code="DLHK").kind == Unit.Kind.OPD
    villages = Unit.objects.filter(region_id="5303", kind=Unit.Kind.VILLAGE)
    assert villages.count() == 193 and not villages.filter(village__isnull=True).exists()
    assert not Person.objects.filter(region_id="5371", nik__startswith="5303").exists()


def test_demo_data_for_one_region_only():
    run("demo-data", scale=0.01, region=["5371"])
    assert set(Person.objects.values_list("region_id", flat=True).distinct()) == {"5371"}


def test_demo_roster_writes_file_and_truth(tmp_path):
    out, truth = tmp_path / "dlhk.csv", tmp_path / "truth.json"
    text = run("demo-roster", out=str(out), rows=30, unit="DLHK", faults=True, bad=6, truth=str(truth))
    saved = json.loads(truth.read_text(encoding="utf-8"))
    assert out.exists() and saved["rejected"] == 6
    assert {f["line"] for f in saved["faults"]} <= set(range(2, saved["data_rows"] + 2))
    assert "6 salah" in text
