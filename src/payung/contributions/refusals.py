"""Why a bill is refused: a code, its parameters, and the message in Indonesian or English (decision 0010).

Nothing is written when a bill is refused. Dates in the parameters stay dates until the message is told,
in the reader's language (payung.formats, decision 0018); an amount is told as rupiah.
"""

from __future__ import annotations

from typing import Any

from payung import formats
from payung.contributions.calculator import QuoteError

MESSAGES = {
    "period": ("Periode harus ditulis YYYY-MM, mis. 2023-05.",
               "The period must be written YYYY-MM, e.g. 2023-05."),
    "future": ("Tagihan %(period)s belum bisa dibuat: paling jauh untuk bulan depan (%(latest)s).",
               "The %(period)s bill cannot be generated yet: next month (%(latest)s) at the latest."),
    "no_agreement": ("Tidak ada PKS %(region)s yang berlaku pada %(period)s; tagihan hanya dibuat untuk "
                     "bulan dalam masa berlaku PKS.",
                     "No agreement (PKS) of %(region)s is valid in %(period)s; bills are generated only "
                     "for months within an agreement."),
    "outside": ("PKS %(number)s berlaku %(valid_from)s s.d. %(valid_to)s; %(period)s di luar masa "
                "berlakunya.",
                "Agreement %(number)s is valid %(valid_from)s to %(valid_to)s; %(period)s is outside it."),
    "exists": ("Tagihan PKS %(number)s untuk %(period)s sudah dibuat (tagihan #%(bill)s) dan tidak dibuat "
               "dua kali. Perubahan sesudahnya masuk sebagai koreksi pada tagihan bulan berikutnya.",
               "The %(period)s bill of agreement %(number)s already exists (bill #%(bill)s) and is never "
               "generated twice. Later changes appear as adjustments on the next month's bill."),
    "no_members": ("PKS %(number)s belum punya peserta: daftarkan peserta (kepesertaan) dulu, lalu buat "
                   "tagihan.",
                   "Agreement %(number)s has no members yet: enrol people first, then generate the bill."),
    "nobody": ("Tidak ada peserta PKS %(number)s yang terlindungi pada %(period)s; tagihan tanpa peserta "
               "tidak dibuat.",
               "No member of agreement %(number)s is covered in %(period)s; a bill without members is never "
               "generated."),
    "nobody_since": ("Tidak ada peserta PKS %(number)s yang terlindungi pada %(period)s: masa kepesertaan "
                     "terakhir berakhir %(last)s (kontrak berakhir, meninggal atau berhenti). Tagihan tanpa "
                     "peserta tidak dibuat; perpanjang kontraknya di registri lalu daftarkan peserta lagi.",
                     "No member of agreement %(number)s is covered in %(period)s: the last membership ended "
                     "%(last)s (contract ended, death or leaving). A bill without members is never "
                     "generated; extend the contracts in the registry, then enrol again."),
    "nobody_yet": ("Tidak ada peserta PKS %(number)s yang terlindungi pada %(period)s: kepesertaan pertama "
                   "baru mulai %(first)s. Tagihan tanpa peserta tidak dibuat.",
                   "No member of agreement %(number)s is covered in %(period)s: the first membership starts "
                   "%(first)s. A bill without members is never generated."),
    "pending": (" Koreksi bulan-bulan sebelumnya (%(pending)s) tidak hilang: ikut pada tagihan berikutnya "
                "yang memiliki peserta.",
                " The corrections of earlier months (%(pending)s) are not lost: they go on the next bill "
                "that has members."),
    "no_programs": ("PKS %(number)s tidak mencantumkan program yang ditagih.",
                    "Agreement %(number)s names no billable program."),
    "basis": ("%(count)s peserta PKS %(number)s tidak punya upah/penghasilan yang sah (mis. NIK %(nik)s): "
              "lengkapi upahnya dulu.",
              "%(count)s members of agreement %(number)s have no valid wage/income (e.g. NIK %(nik)s): "
              "complete their wages first."),
}  # fmt: skip

MONTH_PARAMS = ("period", "latest")  # message parameters that name a month, not a day
MONEY_PARAMS = ("pending",)  # message parameters that are rupiah amounts


class BillingError(ValueError):
    """A refused bill: a code, its parameters, the message in Indonesian or English. Nothing was written."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code, params)
        self.code, self.params = code, params

    def text(self, lang: str = "id") -> str:
        """Months ('period', 'latest') as 'Mei 2023', amounts as rupiah, other dates in the one date style
        (payung.formats). A refusal that leaves corrections of earlier months waiting ('pending', an amount
        other than 0) says so."""
        english = lang.startswith("en")
        params = {k: _shown(k, v, lang) for k, v in self.params.items()}
        if self.code in MESSAGES:
            text = MESSAGES[self.code][english] % params
            if self.params.get("pending"):
                text += MESSAGES["pending"][english] % params
            return text
        # The calculator's own refusals (a rule missing on that date, a missing JKK class, ...).
        return QuoteError(self.code, **self.params).text(lang)


def _shown(key: str, value: Any, lang: str) -> Any:
    if key in MONTH_PARAMS:
        return formats.format_month(value, lang)
    if key in MONEY_PARAMS:
        return formats.format_rupiah(value, lang)
    return formats.shown(value, lang)
