"""The words of the benefit calculator, in Indonesian and English: its refusals, the names of the benefit
parts and of the school levels. Pure: the calculator, the claim pages, the letter and the CLI share them."""

from __future__ import annotations

MESSAGES = {
    "program": ("Program harus JKM atau JKK.", "The program must be JKM or JKK."),
    "event": ("Program %(program)s tidak menjamin peristiwa %(event)s (yang dijamin: %(known)s).",
              "Program %(program)s does not cover the event %(event)s (covered: %(known)s)."),
    "jkm_work_related": ("Kematian akibat kecelakaan kerja atau penyakit akibat kerja dibayar dari JKK, "
                         "bukan JKM.",
                         "A death from a work accident or an occupational disease is paid by JKK, not JKM."),
    "category": ("Kategori harus pu (penerima upah) atau bpu (bukan penerima upah).",
                 "The category must be pu (wage earner) or bpu (non-wage earner)."),
    "basis": ("Upah/penghasilan sebulan harus bilangan bulat rupiah lebih dari 0 dan kurang dari "
              "Rp 1 triliun.",
              "The monthly wage/income must be whole rupiah above 0 and below Rp 1 trillion."),
    "member_since": ("Tanggal mulai menjadi peserta (%(member_since)s) tidak boleh sesudah tanggal "
                     "peristiwa (%(on)s).",
                     "The membership start (%(member_since)s) cannot be after the event (%(on)s)."),
    "children": ("Jumlah anak harus bilangan bulat 0 sampai 30.",
                 "The number of children must be a whole number from 0 to 30."),
    "disability": ("Santunan cacat membutuhkan cacat total tetap atau persen cacat sebagian "
                   "(lebih dari 0 sampai 100).",
                   "A disability benefit needs permanent total disability or a partial disability "
                   "percentage (above 0 up to 100)."),
    "function": ("Persen berkurangnya fungsi harus lebih dari 0 sampai 100.",
                 "The percentage of function lost must be above 0 up to 100."),
    "stmb": ("Lama tidak mampu bekerja harus 0 sampai 120 bulan.",
             "The time unable to work must be 0 to 120 months."),
    "transport": ("Angkutan harus darat, laut atau udara (land, sea, air).",
                  "The transport must be land, sea or air."),
    "cost": ("Biaya harus bilangan bulat rupiah 0 atau lebih dan kurang dari Rp 1 triliun.",
             "A cost must be whole rupiah, 0 or more and below Rp 1 trillion."),
    "rule_missing": ("Belum ada aturan %(key)s pada %(on)s%(since)s.", "No rule %(key)s on %(on)s%(since)s."),
    "since": (" (berlaku sejak %(first)s)", " (in force from %(first)s)"),
}  # fmt: skip

# Part code -> (Indonesian, English): how the parts are named on screens, letters and the CLI.
LABELS = {
    "lump_sum": ("Santunan sekaligus", "Lump sum"),
    "death": ("Santunan kematian", "Death benefit"),
    "periodic": ("Santunan berkala (dibayar sekaligus)", "Periodic benefit (paid at once)"),
    "funeral": ("Biaya pemakaman", "Funeral costs"),
    "disability": ("Santunan cacat", "Disability benefit"),
    "stmb": ("Santunan sementara tidak mampu bekerja (STMB)", "Temporary inability to work (STMB)"),
    "transport": ("Penggantian biaya angkutan", "Transport reimbursed"),
    "home_care": ("Perawatan di rumah (homecare)", "Home care"),
    "medical": ("Pelayanan kesehatan sesuai kebutuhan medis, tanpa batas biaya",
                "Medical care as needed, without a cost limit"),
}  # fmt: skip
LEVEL_LABELS = {
    "tk_sd": ("TK sampai SD/sederajat", "Kindergarten to primary school"),
    "smp": ("SMP/sederajat", "Junior secondary school"),
    "sma": ("SMA/sederajat", "Senior secondary school"),
    "college": ("Pendidikan tinggi (paling tinggi S1) atau pelatihan", "Higher education or training"),
}


def label(code: str, lang: str = "id", table: dict = LABELS) -> str:
    indonesian, english = table[code]
    return english if lang.startswith("en") else indonesian
