"""Request and response shapes. Inputs stay loose (plain str) where the services give better messages."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field


class Problem(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


# --- people -----------------------------------------------------------------------------------------


class PersonListItem(Schema):
    id: int
    nik: str = Field(description="NIK disamarkan, mis. 537101********12")
    name: str
    sex: str
    region: str
    status: str

    @staticmethod
    def resolve_nik(obj) -> str:
        return obj.masked_nik

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region_id


class PersonPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[PersonListItem]


class EngagementOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    group: str
    position: str
    decree_number: str
    decree_date: dt.date | None
    start_date: dt.date | None
    end_date: dt.date | None
    monthly_wage: int | None = Field(description="Rupiah, bilangan bulat")
    occupation: str
    poverty_status: str
    status: str

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name


class StatusChangeOut(Schema):
    id: int
    engagement_id: int | None
    status: str
    effective_date: dt.date
    reason: str
    recorded_at: dt.datetime


class PersonOut(Schema):
    id: int
    region: str
    nik: str
    name: str
    sex: str
    birth_place: str
    birth_date: dt.date
    address: str
    village_code: str | None
    phone: str
    mother_maiden_name: str
    kpj: str
    status: str
    version: int = Field(description="Versi data; kirim lagi (If-Match atau version) saat mengubah")
    engagements: list[EngagementOut]
    history: list[StatusChangeOut]

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region_id

    @staticmethod
    def resolve_village_code(obj) -> str | None:
        return obj.village_id

    @staticmethod
    def resolve_engagements(obj) -> list:
        return list(obj.engagements.select_related("unit"))

    @staticmethod
    def resolve_history(obj) -> list:
        return list(obj.status_changes.all())


class EngagementIn(Schema):
    unit_id: int
    group: str
    position: str = ""
    decree_number: str = ""
    decree_date: dt.date | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    monthly_wage: int | None = Field(None, description="Rupiah, bilangan bulat")
    occupation: str = ""
    poverty_status: str = ""


class PersonFields(Schema):
    nik: str
    name: str
    sex: str = Field(description="L atau P")
    birth_date: dt.date
    birth_place: str = ""
    address: str = ""
    village_code: str | None = None
    phone: str = ""
    mother_maiden_name: str = ""
    kpj: str = ""


class PersonIn(PersonFields):
    region: str | None = Field(None, description="Kode kab/kota; bawaan: wilayah pengguna")
    engagement: EngagementIn | None = None


class PersonPatch(Schema):
    reason: str
    version: int | None = Field(None, description="Versi yang dibaca (GET); atau header If-Match")
    nik: str | None = None
    name: str | None = None
    sex: str | None = None
    birth_date: dt.date | None = None
    birth_place: str | None = None
    address: str | None = None
    village_code: str | None = None
    phone: str | None = None
    mother_maiden_name: str | None = None
    kpj: str | None = None


class StatusIn(Schema):
    status: str = Field(description="active, ended atau deceased")
    effective_date: dt.date
    reason: str
    engagement_id: int | None = None
    version: int | None = Field(None, description="Versi orang yang dibaca (GET); atau header If-Match")


class WageChangeIn(Schema):
    monthly_wage: int = Field(description="Upah baru per bulan, rupiah bilangan bulat")
    effective_date: dt.date = Field(description="Berlaku sejak (kepesertaan dipecah pada tanggal ini)")
    reason: str


class TransferIn(Schema):
    unit_id: int = Field(description="Unit baru, di kabupaten/kota yang sama")
    effective_date: dt.date = Field(description="Pindah sejak (penugasan lama berakhir sehari sebelumnya)")
    reason: str


class UnitOut(Schema):
    id: int
    region: str
    code: str
    name: str
    kind: str

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region_id


# --- imports ----------------------------------------------------------------------------------------


class IssueOut(Schema):
    line: int
    column: str
    severity: str
    code: str
    message: str

    @staticmethod
    def resolve_message(obj) -> str:
        return obj.text()  # in the reader's language, whoever uploaded the file


class ImportOut(Schema):
    id: int
    region: str
    unit_id: int | None
    filename: str
    sha256: str
    state: str
    created_at: dt.datetime
    total_rows: int
    imported: int
    updated: int
    unchanged: int
    rejected: int
    warnings: int
    message: str
    issue_count: int
    issues: list[IssueOut] = Field(
        description="Paling banyak 1.000 pertama; semuanya ada di berkas kesalahan"
    )
    errors_url: str | None


# --- duplicates -------------------------------------------------------------------------------------


class CandidateSide(Schema):
    id: int
    nik: str = Field(description="NIK disamarkan")
    name: str
    birth_date: dt.date
    sex: str

    @staticmethod
    def resolve_nik(obj) -> str:
        return obj.masked_nik


class CandidateOut(Schema):
    id: int
    region: str
    score: float
    state: str
    evidence: dict
    left: CandidateSide | None = Field(description="null: removed by a merge")
    right: CandidateSide | None
    reason: str

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region_id


class CandidatePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[CandidateOut]


class MergeIn(Schema):
    keep: int = Field(description="id orang yang dipertahankan (kiri atau kanan)")
    reason: str


class DismissIn(Schema):
    reason: str


# --- reference data ---------------------------------------------------------------------------------


class NikReason(Schema):
    code: str
    message: str


class NikCheckOut(Schema):
    nik: str
    valid: bool
    reasons: list[NikReason]
    warnings: list[NikReason]  # the NIK is still valid, e.g. an age outside 15-100 years
    province: str | None
    regency: str | None
    district: str | None
    birth_date: dt.date | None
    sex: str | None


class RegionBrief(Schema):
    code: str
    name: str
    level: int


class RegionOut(RegionBrief):
    parent: str | None
    children: list[RegionBrief]
