"""Two operators edit one person in two Chromium windows: the later save is refused on a page that names
who changed the record and shows its current values (decision 0013). Screenshot: locking-conflict.png."""

from __future__ import annotations

import datetime as dt

import pytest

from payung.accounts.models import Role, User
from payung.regions.models import Region
from payung.registry import services
from payung.registry.models import Person
from payung.registry.nik import compose
from payung.registry.services import PersonData
from tests.browser.conftest import log_in, screenshot

PASSWORD = "kata-sandi-uji-panjang"


@pytest.fixture
def maria(transactional_db, settings) -> Person:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    kupang = Region.objects.get(code="5371")
    for username, first, last in (("kupang.op1", "Yosef", "Lake"), ("kupang.op2", "Ani", "Tefa")):
        User.objects.create_user(
            username, password=PASSWORD, first_name=first, last_name=last, role=Role.OPERATOR, region=kupang
        )
    born = dt.date(1985, 4, 30)
    data = PersonData(nik=compose("537101", born, "P", 1), name="Maria Bere", sex="P", birth_date=born)
    return services.create_person(None, kupang, data, channel="cli")


@pytest.mark.django_db(transaction=True)
def test_the_second_window_sees_who_changed_the_person(maria, live_server, open_context):
    first, second = open_context().new_page(), open_context().new_page()
    log_in(first, live_server, "kupang.op1", PASSWORD)
    log_in(second, live_server, "kupang.op2", PASSWORD)
    edit = f"{live_server.url}/orang/{maria.pk}/ubah/"
    first.goto(edit)
    second.goto(edit)

    first.fill("#id_phone", "081111111111")
    with first.expect_navigation():
        first.click("button.primary")
    second.fill("#id_address", "Jl. Timor Raya 5")
    with second.expect_navigation():
        second.click("button.primary")

    alert = second.locator(".alert").inner_text()
    assert "Data ini sudah diubah oleh Yosef Lake pada" in alert
    assert second.input_value("#id_phone") == "081111111111"  # the current value, to check
    screenshot(second, "locking-conflict")
    second.fill("#id_address", "Jl. Timor Raya 5")
    with second.expect_navigation():
        second.click("button.primary")
    maria.refresh_from_db()
    assert (maria.phone, maria.address) == ("081111111111", "Jl. Timor Raya 5")
