"""The documents a claim file needs, by kind of claim. Pure: no Django.

JKM (Permenaker 5/2021; BPJS Ketenagakerjaan's list as quoted by Kompas, 2024): the participant's card,
the KTP of the participant and of the heir, the death certificate, the family card, the heir statement,
the marriage book when a spouse claims, the heir's bank account. JKK adds the accident reports of stage I
and II (Permenaker 5/2021 pasal 19) and the doctor's statement; a will names its heir only as a notarial
deed (Permenaker 1/2025); scholarships need a school certificate per child and year.
"""

from __future__ import annotations

LABELS = {
    "kpj_card": ("Kartu peserta BPJS Ketenagakerjaan (KPJ)", "BPJS Ketenagakerjaan membership card (KPJ)"),
    "ktp_participant": ("KTP peserta", "Participant's identity card (KTP)"),
    "ktp_heir": ("KTP ahli waris", "Heirs' identity cards (KTP)"),
    "death_certificate": ("Akta kematian atau surat keterangan kematian",
                          "Death certificate or statement of death"),
    "family_card": ("Kartu Keluarga (KK)", "Family card (KK)"),
    "heir_statement": ("Surat keterangan ahli waris dari pejabat berwenang",
                       "Statement of heirs from the competent official"),
    "marriage_book": ("Buku nikah (ahli waris suami/istri)", "Marriage book (a spouse as heir)"),
    "will_deed": ("Wasiat dalam akta notaris (pihak yang ditunjuk)",
                  "Will as a notarial deed (designated person)"),
    "bank_account": ("Buku tabungan penerima manfaat", "Recipient's bank account book"),
    "accident_report_1": ("Laporan kecelakaan kerja tahap I", "Work accident report, stage I"),
    "accident_report_2": ("Laporan kecelakaan kerja tahap II", "Work accident report, stage II"),
    "medical_statement": ("Surat keterangan dokter (sembuh, cacat atau meninggal)",
                          "Doctor's statement (recovery, disability or death)"),
    "school_certificate": ("Surat keterangan sekolah/kuliah anak penerima beasiswa",
                           "School or college certificate of each scholarship child"),
}  # fmt: skip
CODES = tuple(LABELS)
DEATH = ("kpj_card", "ktp_participant", "ktp_heir", "death_certificate", "family_card", "heir_statement")
ACCIDENT = ("accident_report_1", "accident_report_2", "medical_statement")


def label(code: str, lang: str = "id") -> str:
    indonesian, english = LABELS[code]
    return english if lang.startswith("en") else indonesian


def needed(program: str, event: str, relations: set[str], scholarship_children: int) -> list[str]:
    """The codes a claim needs, in the order BPJS lists them."""
    codes = list(DEATH) if event == "death" else ["kpj_card", "ktp_participant"]
    if "spouse" in relations:
        codes.append("marriage_book")
    if "designated" in relations:
        codes.append("will_deed")
    if program == "JKK":
        codes += ACCIDENT
    codes.append("bank_account")
    if scholarship_children:
        codes.append("school_certificate")
    return [c for c in CODES if c in codes]
