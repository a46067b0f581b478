"""Why a reconciliation cannot run, in Indonesian and English. Pure: no Django.

Like registry.roster's messages these are (Indonesian, English) pairs rather than gettext strings: the pure
core is used without Django, and the CLI and (later) the web pass the reader's language.
"""

from __future__ import annotations

import datetime as dt

from payung import formats

SIDES = {"roster": ("berkas daftar (roster)", "the roster file"), "bpjs": ("berkas BPJS", "the BPJS file")}

MESSAGES: dict[str, tuple[str, str]] = {
    "file": ("Masalah pada {side} ({name}): {detail}", "Problem in {side} ({name}): {detail}"),
    "no_id_column": (
        "{Side} ({name}) tidak punya kolom NIK maupun No KPJ. Judul kolom yang dikenali: {aliases}.",
        "{Side} ({name}) has neither a NIK nor a KPJ column. Recognised headers: {aliases}.",
    ),
    "no_name_column": (
        "{Side} ({name}) tidak punya kolom nama. Judul kolom yang dikenali: {aliases}.",
        "{Side} ({name}) has no name column. Recognised headers: {aliases}.",
    ),
    "no_common_id": (
        "Kedua berkas tidak punya kolom pengenal yang sama: berkas daftar hanya punya {roster}, berkas BPJS "
        "hanya punya {bpjs}. Tambahkan kolom NIK (atau No KPJ) di kedua berkas.",
        "The two files share no identifying column: the roster has only {roster}, the BPJS file only "
        "{bpjs}. Add a NIK (or KPJ) column to both files.",
    ),
    "duplicate_kpj": (
        "No KPJ {kpj} tercantum lebih dari sekali di berkas BPJS (baris {lines}){more}. Satu peserta "
        "hanya punya satu KPJ: minta daftar yang benar dari BPJS atau hapus baris gandanya.",
        "KPJ {kpj} appears more than once in the BPJS file (lines {lines}){more}. A participant has one "
        "KPJ only: ask BPJS for a correct list or remove the repeated lines.",
    ),
    "duplicate_kpj_more": (", dan {count} No KPJ lain juga ganda", ", and {count} more KPJs repeat too"),
    "programs": (
        "Program '{value}' tidak dikenal; pilih dari {known}.",
        "Program '{value}' is not known; choose from {known}.",
    ),
    "period": (
        "Periode harus ditulis YYYY-MM (mis. 2026-01), bukan '{value}'.",
        "The period must be written YYYY-MM (e.g. 2026-01), not '{value}'.",
    ),
    "rules": ("Iuran tidak dapat dihitung: {detail}", "Contributions cannot be computed: {detail}"),
    "other_region": (
        "Berkas {name} tampaknya milik wilayah lain: {share}% NIK-nya dari {other}, hampir tidak ada dari "
        "{region}. Periksa apakah berkas yang diunggah sudah benar.",
        "The file {name} seems to belong to another region: {share}% of its NIKs are from {other}, almost "
        "none from {region}. Check that the right file was uploaded.",
    ),
    "too_large": ("Berkas terlalu besar: paling besar {mb} MB.", "The file is too large: at most {mb} MB."),
    "no_identified_rows": (
        "Tidak satu baris pun di {side} ({name}) punya NIK 16 digit atau No KPJ: ini bukan daftar peserta "
        "atau tagihan BPJS.",
        "No row of {side} ({name}) has a 16-digit NIK or a KPJ number: this is not a BPJS list or bill.",
    ),
    "no_roster": (
        "Registri {region} tidak punya orang dengan penugasan aktif pada {period}: tidak ada yang dapat "
        "dicocokkan.",
        "The registry of {region} has nobody with an engagement current in {period}: nothing to reconcile.",
    ),
}


def message(code: str, lang: str = "id", **params: object) -> str:
    english = lang.startswith("en")
    side = params.get("side")
    if side in SIDES:
        label = SIDES[side][1 if english else 0]
        params = params | {"side": label, "Side": label[0].upper() + label[1:]}
    if code == "duplicate_kpj":  # how many other KPJs repeat, told only when there are any
        count = params.get("more") or 0
        params = params | {"more": message("duplicate_kpj_more", lang, count=count) if count else ""}
    # A 'period' is a month ('Juni 2025'); any other date in the one date style (payung.formats).
    shown = {k: formats.shown(v, lang) for k, v in params.items()}
    if isinstance(params.get("period"), dt.date):
        shown["period"] = formats.format_month(params["period"], lang)
    return MESSAGES[code][1 if english else 0].format(**shown)


class ReconcileProblem(Exception):
    """The files cannot be reconciled as they are; nothing is written."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code, self.params = code, params

    def text(self, lang: str = "id") -> str:
        params = dict(self.params)
        detail = params.get("detail")
        if hasattr(detail, "text"):  # a registry FileProblem, told in the same language
            params["detail"] = detail.text(lang)
        return message(self.code, lang, **params)
