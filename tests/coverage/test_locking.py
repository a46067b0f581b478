"""Two treasurers changing one PKS from forms opened at the same time: the later save is refused with
who changed it and when, and the earlier change survives (decision 0013)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from payung.accounts.models import Role, User
from payung.audit.locking import Conflict
from payung.coverage import enrolment, registration
from payung.coverage.models import Agreement
from payung.coverage.services import update_agreement
from payung.registry import services
from payung.registry.models import Person
from payung.registry.services import PersonData
from tests.coverage.conftest import pks
from tests.web.filled import form_values


@pytest.fixture
def treasurers(kupang) -> tuple[Client, Client]:
    colleague = User.objects.create_user(
        "kupang.bendahara", first_name="Ani", last_name="Tefa", role=Role.FINANCE, region=kupang.region
    )
    first, second = Client(), Client()
    first.force_login(kupang.finance)
    second.force_login(colleague)
    return first, second


def test_the_later_save_of_an_agreement_is_refused_and_the_earlier_change_survives(kupang, treasurers):
    finance, colleague = treasurers
    agreement = kupang.agreement()
    url = reverse("agreement_edit", args=[agreement.pk])
    mine = form_values(finance.get(url).content.decode())
    theirs = form_values(colleague.get(url).content.decode())

    noted = {**theirs, "notes": "Adendum 1 diterima", "reason": "Adendum 1"}
    assert colleague.post(url, noted).status_code == 302
    response = finance.post(url, {**mine, "budget_account": "5.1.02.99", "reason": "Kode rekening baru"})

    page = response.content.decode()
    assert response.status_code == 409
    assert "Data ini sudah diubah oleh Ani Tefa pada" in page
    agreement.refresh_from_db()
    assert (agreement.notes, agreement.budget_account) == ("Adendum 1 diterima", "5.1.02.01.01.0003")
    again = form_values(page)  # the stored terms, the reason typed kept
    assert again["notes"] == ["Adendum 1 diterima"] and again["reason"] == ["Kode rekening baru"]
    assert finance.post(url, {**again, "budget_account": "5.1.02.99"}).status_code == 302
    agreement.refresh_from_db()
    assert (agreement.notes, agreement.budget_account) == ("Adendum 1 diterima", "5.1.02.99")


def test_the_service_refuses_an_older_version(kupang):
    agreement = kupang.agreement()
    read = agreement.version
    update_agreement(kupang.finance, agreement, pks(late_fine=True), reason="Adendum 1", version=read)
    stale = Agreement.objects.get(pk=agreement.pk)
    with pytest.raises(Conflict):
        update_agreement(kupang.finance, stale, pks(notes="x"), reason="Adendum 2", version=read)
    assert Agreement.objects.get(pk=agreement.pk).notes == ""


def test_a_bpjs_reply_that_sets_a_kpj_stales_a_person_form_opened_before(kupang, tmp_path):
    yohanes = kupang.hire("Yohanes Bria", kupang.dlhk, start=dt.date(2015, 3, 1))
    agreement = kupang.agreement()
    enrolment.sync(agreement)
    batch = registration.create_batch(kupang.finance, agreement)
    opened = Person.objects.get(pk=yohanes.pk)
    reply = tmp_path / "balasan.csv"
    reply.write_text(f"NIK;KPJ\n{yohanes.nik};23012345678\n", encoding="utf-8")
    assert registration.reply(None, batch, reply).registered == 1

    # The form opened before holds the KPJ as it was (empty); its save, on the person as stored now:
    typed = {"nik": opened.nik, "name": opened.name, "sex": opened.sex, "birth_date": opened.birth_date}
    data = PersonData(**typed, address="Oebobo")
    with pytest.raises(Conflict):
        services.update_person(None, Person.objects.get(pk=yohanes.pk), data, version=opened.version)
    assert Person.objects.get(pk=yohanes.pk).kpj == "23012345678"
