"""BPJS's reply to a registration goes through the same upload handling as every other file (issue 14)."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse

from payung.coverage import enrolment, registration
from payung.coverage.models import RegistrationBatch


@pytest.fixture
def registered(kupang, tmp_path, settings) -> tuple[RegistrationBatch, str]:
    """A registration batch of one person, and that person's NIK."""
    settings.MEDIA_ROOT = tmp_path
    person = kupang.hire("Yohanes Bria", kupang.dlhk, start=dt.date(2015, 3, 1))
    agreement = kupang.agreement()
    enrolment.sync(agreement)
    return registration.create_batch(kupang.finance, agreement), person.nik


@pytest.mark.parametrize(("sent", "stored"), [("é" * 200 + ".csv", "é" * 125 + ".csv"), ("%%", "%%")])
def test_an_odd_reply_name_is_stored_cleaned(kupang, registered, sent, stored):
    batch, nik = registered
    finance = Client()
    finance.force_login(kupang.finance)
    reply = BytesIO(f"NIK;KPJ;Status\n{nik};23012345678;Terdaftar\n".encode())
    reply.name = sent
    answer = finance.post(reverse("registration_reply", args=[batch.pk]), {"file": reply})
    assert answer.status_code == 200 and "1 terdaftar" in answer.content.decode()
    batch.refresh_from_db()
    assert batch.reply_filename == stored
