"""Messages of a roster import (code -> Indonesian, English) and ``FileProblem``, a file that cannot be
imported at all. Row messages name the value; the column is stored beside them."""

from __future__ import annotations

from payung import formats
from payung.registry import nik as niks

# code -> (Indonesian, English). Row messages name the value; the column is stored beside them.
MESSAGES: dict[str, tuple[str, str]] = {
    "too_large": (
        "Berkas terlalu besar ({size} MB); batasnya {limit} MB. Bagi berkas menjadi beberapa bagian.",
        "The file is too large ({size} MB); the limit is {limit} MB. Split it into parts.",
    ),
    "sheet_too_large": (
        "Lembar kerja terlalu besar: terpakai sampai {rows} baris dan {columns} kolom (batasnya {max_rows} "
        "baris, {max_columns} kolom, dan {max_cells} sel). Hapus isi atau format sel jauh di luar data, atau "
        "bagi berkas menjadi beberapa bagian.",
        "The worksheet is too large: it reaches {rows} rows and {columns} columns (the limits are {max_rows} "
        "rows, {max_columns} columns and {max_cells} cells). Delete contents or formatting far outside the "
        "data, or split the file into parts.",
    ),
    "unpacked_too_large": (
        "Isi berkas Excel terlalu besar setelah dibuka (lebih dari {limit} MB). Hapus baris dan kolom "
        "kosong di luar data, atau bagi berkas menjadi beberapa bagian.",
        "The Excel file's contents are too large once unpacked (over {limit} MB). Delete empty rows and "
        "columns outside the data, or split the file into parts.",
    ),
    "empty_file": ("Berkas kosong.", "The file is empty."),
    "no_rows": (
        "Berkas hanya berisi judul kolom, tanpa baris data.",
        "The file has column headers but no data rows.",
    ),
    "corrupt": (
        "Berkas Excel rusak atau bukan berkas Excel. Buka di Excel lalu simpan ulang sebagai .xlsx.",
        "The Excel file is damaged or not an Excel file. Open it in Excel and save it again as .xlsx.",
    ),
    "password": (
        "Berkas Excel dilindungi kata sandi. Buka di Excel, hapus kata sandinya, lalu simpan ulang.",
        "The Excel file is password-protected. Open it in Excel, remove the password and save it again.",
    ),
    "encoding": (
        "Pengodean teks berkas tidak dikenali. Simpan ulang sebagai 'CSV UTF-8' dari Excel.",
        "The file's text encoding is not recognised. Save it again as 'CSV UTF-8' from Excel.",
    ),
    "csv_invalid": (
        "Berkas CSV tidak dapat dibaca (tanda kutip tidak tertutup atau baris rusak). Simpan ulang dari "
        "Excel.",
        "The CSV file cannot be read (an unclosed quote or a damaged line). Save it again from Excel.",
    ),
    "no_nik_column": (
        "Kolom NIK tidak ditemukan. Judul kolom yang dikenali: {aliases}.",
        "No NIK column found. Recognised headers: {aliases}.",
    ),
    "missing_column": (
        "Kolom wajib '{column}' tidak ditemukan. Judul kolom yang dikenali: {aliases}.",
        "Required column '{column}' not found. Recognised headers: {aliases}.",
    ),
    "two_row_header": (
        "Judul kolom memakai dua baris atau sel gabungan (baris {line}). Jadikan satu baris judul, satu "
        "judul per kolom, tanpa sel gabungan.",
        "The column headers span two rows or merged cells (line {line}). Use one header row with one "
        "header per column and no merged cells.",
    ),
    "merged_header": (
        "Judul kolom '{header}' ada di sel gabungan {cells}. Pisahkan sel gabungan itu (Beranda > Gabung & "
        "Tengahkan) sehingga setiap judul berada di atas satu kolom.",
        "The column header '{header}' is in merged cells {cells}. Unmerge them (Home > Merge & Center) so "
        "that each header sits above one column.",
    ),
    "formula": (
        "Sel {cell} berisi rumus tanpa nilai tersimpan. Buka berkas di Excel lalu simpan ulang, atau salin "
        "lalu 'Tempel Nilai'.",
        "Cell {cell} holds a formula without a stored value. Open the file in Excel and save it again, or "
        "copy and 'Paste Values'.",
    ),
    "required": ("{column} wajib diisi.", "{column} is required."),
    "too_long": ("Isian terlalu panjang (maks. {limit} karakter).", "Too long (at most {limit} characters)."),
    "date_invalid": (
        "Tanggal '{value}' tidak terbaca. Tulis hari-bulan-tahun, mis. 30-04-1985 atau 30 April 1985.",
        "Date '{value}' cannot be read. Write day-month-year, e.g. 30-04-1985 or 30 April 1985.",
    ),
    "date_future": ("Tanggal lahir {value} ada di masa depan.", "Birth date {value} is in the future."),
    "end_before_start": (
        "Akhir kontrak ({value}) sebelum mulai kontrak.",
        "Contract end ({value}) is before its start.",
    ),
    "sex_invalid": (
        "Jenis kelamin '{value}' tidak dikenal; isi L atau P.",
        "Sex '{value}' is not recognised; use L or P.",
    ),
    "wage_invalid": (
        "Upah '{value}' bukan angka rupiah (contoh: 2500000 atau Rp 2.500.000).",
        "Wage '{value}' is not a rupiah amount (e.g. 2500000 or Rp 2.500.000).",
    ),
    "wage_fraction": (
        "Upah '{value}' harus rupiah bulat, tanpa sen.",
        "Wage '{value}' must be whole rupiah.",
    ),
    "wage_negative": ("Upah '{value}' tidak boleh negatif.", "Wage '{value}' cannot be negative."),
    "wage_range": ("Upah '{value}' terlalu besar.", "Wage '{value}' is too large."),
    "kpj_invalid": ("No KPJ '{value}' harus berupa angka.", "KPJ number '{value}' must be digits."),
    "village_invalid": (
        "Kode desa '{value}' bukan kode desa/kelurahan di wilayah ini (10 digit, mis. 5303012005).",
        "Village code '{value}' is not a village of this region (10 digits, e.g. 5303012005).",
    ),
    "group_invalid": (
        "Kelompok '{value}' tidak dikenal (Non-ASN, Pekerja rentan, Perangkat desa, RT/RW, Guru).",
        "Group '{value}' is not recognised (Non-ASN, Pekerja rentan, Perangkat desa, RT/RW, Guru).",
    ),
    "unit_required": (
        "Unit kerja kosong; isi kolom Unit Kerja atau pilih unit saat impor.",
        "Unit is empty; fill the Unit column or choose a unit when importing.",
    ),
    "unit_unknown": (
        "Kode unit '{value}' tidak dikenal di wilayah ini.",
        "Unit code '{value}' is unknown here.",
    ),
    "duplicate_in_file": (
        "NIK ini sudah ada di baris {value} berkas ini.",
        "This NIK already appears on line {value} of this file.",
    ),
    # Warnings (the row is imported): the same NIK is already in the registry elsewhere.
    "registered_other_unit": (
        "NIK ini sudah terdaftar di unit lain di wilayah ini: {value}.",
        "This NIK is already registered in another unit of this region: {value}.",
    ),
    "registered_other_region": (
        "NIK ini sudah terdaftar di wilayah lain.",
        "This NIK is already registered in another region.",
    ),
    # Warnings: a KPJ that contradicts the registry (registry.kpj, decision 0020).
    "kpj_other_person": (
        "No KPJ {value} sudah tercatat untuk orang lain (NIK {other}); periksa KPJ baris ini.",
        "KPJ number {value} is already recorded for someone else (NIK {other}); check this row's KPJ.",
    ),
    "kpj_other_region": (
        "No KPJ {value} sudah tercatat untuk orang lain di wilayah lain; periksa KPJ baris ini.",
        "KPJ number {value} is already recorded for someone else in another region; check this row's KPJ.",
    ),
    "kpj_twice_in_file": (
        "No KPJ {value} juga dipakai NIK lain di baris {other} berkas ini.",
        "KPJ number {value} is also used by another NIK on line {other} of this file.",
    ),
    "kpj_replaced": (
        "NIK ini tercatat dengan KPJ {other}; impor ini menggantinya dengan {value}.",
        "This NIK is recorded with KPJ {other}; this import replaces it with {value}.",
    ),
    # Batch outcomes.
    "already_imported": (
        "Berkas yang sama sudah diimpor (impor #{batch}, {date}); tidak ada yang diubah.",
        "The same file was already imported (import #{batch}, {date}); nothing was changed.",
    ),
    "committed": (
        "Baru: {imported}, diperbarui: {updated}, tidak berubah: {unchanged}, ditolak: {rejected}.",
        "New: {imported}, updated: {updated}, unchanged: {unchanged}, rejected: {rejected}.",
    ),
    "units_created": ("Unit baru dibuat: {value}.", "New units created: {value}."),
    "issues_truncated": (
        "{value} catatan lain tidak ditampilkan; semua baris yang ditolak ada di berkas kesalahan.",
        "{value} more notes are not shown; every rejected row is in the error file.",
    ),
    "followup_failed": (
        "Impor tersimpan, tetapi kepesertaan PKS tidak dapat diperbarui otomatis: tekan “Daftarkan "
        "peserta” di halaman PKS.",
        "The import was saved, but agreement memberships could not be updated automatically: press "
        "“Enrol members” on the agreement page.",
    ),
    "upload_missing": (
        "Berkas unggahan tidak ditemukan lagi; unggah ulang berkasnya.",
        "The uploaded file is gone; upload it again.",
    ),
    "system_error": (
        "Impor gagal karena kesalahan sistem; tidak ada data yang disimpan. Coba lagi atau hubungi admin.",
        "The import failed because of a system error; nothing was saved. Try again or contact an admin.",
    ),
}
MESSAGES.update(niks.MESSAGES)


def message(code: str, lang: str = "id", **params: object) -> str:
    """The message ``code`` in ``lang``; date parameters in the one date style (payung.formats)."""
    text = MESSAGES[code][1 if lang.startswith("en") else 0]
    return text.format(**{key: formats.shown(value, lang) for key, value in params.items()})


class FileProblem(Exception):
    """The whole file cannot be imported; nothing from it may be written."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code, self.params = code, params

    def text(self, lang: str = "id") -> str:
        return message(self.code, lang, **self.params)
