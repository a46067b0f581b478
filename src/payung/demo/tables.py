"""Static demo tables: names common in NTT, Kota Kupang's OPDs and schools, village offices of TTU.

Invented for demonstration; head-counts follow the seeds (2,300 non-ASN in Kota Kupang, DLHK's 253 street
sweepers, 26 schools, 14,880 pekerja rentan in TTU). Unit names are real kinds of office, not a real roster.
"""

from __future__ import annotations

from dataclasses import dataclass

# Given names from the Catholic and Protestant naming of Timor, Flores, Sumba, Rote and Sabu.
NTT_MALE = (
    "Yohanes",
    "Agustinus",
    "Fransiskus",
    "Yosef",
    "Petrus",
    "Paulus",
    "Markus",
    "Mikhael",
    "Antonius",
    "Dominikus",
    "Yakobus",
    "Kornelis",
    "Simon",
    "Stefanus",
    "Benediktus",
    "Aloysius",
    "Yulius",
    "Marselinus",
    "Gabriel",
    "Emanuel",
    "Hendrik",
    "Daniel",
    "Yeremias",
    "Ferdinand",
    "Melkianus",
    "Nikolaus",
    "Viktor",
    "Elias",
    "Yustinus",
    "Filipus",
    "Arnoldus",
    "Bernardus",
    "Laurensius",
    "Alfons",
    "Yoakim",
    "Matias",
    "Obed",
    "Semuel",
    "Yunus",
    "Ishak",
    "Abraham",
    "Frederik",
    "Rafael",
    "Silvester",
    "Vinsensius",
    "José",
)
NTT_FEMALE = (
    "Maria",
    "Yosefina",
    "Theresia",
    "Agustina",
    "Yuliana",
    "Margaretha",
    "Fransiska",
    "Veronika",
    "Katarina",
    "Elisabeth",
    "Anastasia",
    "Magdalena",
    "Yohana",
    "Bernadeta",
    "Florentina",
    "Sisilia",
    "Imelda",
    "Martha",
    "Dorkas",
    "Yasinta",
    "Ursula",
    "Regina",
    "Debora",
    "Selfina",
    "Mariana",
    "Welmince",
    "Ester",
    "Rosalia",
    "Sofia",
    "Kristina",
    "Adriana",
    "Naomi",
    "Getruida",
    "Priska",
    "Marselina",
    "Yustina",
    "Oktovina",
)
# Family names of Timor (Dawan, Tetun): the bulk of TTU and a large share of Kupang.
TIMOR_SURNAMES = (
    "Bria",
    "Kase",
    "Taolin",
    "Nenometa",
    "Lake",
    "Seran",
    "Klau",
    "Manek",
    "Tefa",
    "Sanam",
    "Nubatonis",
    "Boimau",
    "Kolo",
    "Fallo",
    "Tanesib",
    "Baok",
    "Usfal",
    "Oematan",
    "Kono",
    "Naitio",
    "Kefi",
    "Sasi",
    "Tamonob",
    "Abi",
    "Bani",
    "Banunaek",
    "Missa",
    "Salem",
    "Timo",
    "Lopo",
    "Nitsae",
    "Anin",
    "Nahak",
    "Bere",
    "Luruk",
    "Mau",
    "Atok",
    "Tualaka",
    "Ulu",
    "Sonbay",
    "Nino",
    "Neonbasu",
    "Oki",
    "Amfotis",
)
# Rote, Sabu, Flores, Sumba, Alor and the Kupang town families.
OTHER_NTT_SURNAMES = (
    "Riwu",
    "Kore",
    "Ndun",
    "Pello",
    "Bunga",
    "Lay",
    "Dethan",
    "Sabuna",
    "Haning",
    "Messakh",
    "Mooy",
    "Ndoen",
    "Foeh",
    "Adoe",
    "Lona",
    "Manafe",
    "Tallo",
    "Amalo",
    "Nalle",
    "Tode",
    "Wangge",
    "Bata",
    "Goa",
    "Ratu",
    "Naben",
    "Djawa",
    "Da Costa",
    "Da Silva",
    "Fernandez",
    "Pareira",
    "De Rosari",
    "Ndapamerang",
    "Hunggu",
    "Kaka",
    "Malaikosa",
    "Djami",
    "Lomi",
    "Hege",
    "Bessie",
    "Leo",
    "Weo",
    "D’Souza",
)

BIRTH_PLACES_KUPANG = (
    ("Kupang", 50),
    ("Soe", 6),
    ("Atambua", 5),
    ("Kefamenanu", 4),
    ("Ende", 5),
    ("Maumere", 5),
    ("Ruteng", 4),
    ("Bajawa", 3),
    ("Larantuka", 4),
    ("Waingapu", 3),
    ("Ba'a", 4),
    ("Seba", 3),
    ("Kalabahi", 3),
    ("Lewoleba", 2),
    ("Waikabubak", 2),
)
BIRTH_PLACES_TTU = (("Kefamenanu", 40), ("Atambua", 8), ("Soe", 7), ("Kupang", 10))  # rest: their desa

STREETS_KUPANG = (
    "El Tari",
    "W.J. Lalamentik",
    "Frans Seda",
    "Timor Raya",
    "Adisucipto",
    "Piet A. Tallo",
    "Herewila",
    "Perintis Kemerdekaan",
    "Jend. Sudirman",
    "Moh. Hatta",
    "Cak Doko",
    "Sam Ratulangi",
    "Thamrin",
    "Fetor Funay",
    "Suratim",
    "Kejora",
    "Nangka",
    "Amabi",
    "Bundaran PU",
    "Soverdi",
    "Kelimutu",
    "Urip Sumoharjo",
    "R.A. Kartini",
    "Oebobo",
    "Matani",
    "Bajawa",
    "Prof. Herman Johannes",
    "Kampung Baru",
    "Palapa",
    "Veteran",
)
STREETS_TTU = (
    "El Tari",
    "Basuki Rahmat",
    "Sonbay",
    "Kartini",
    "Ahmad Yani",
    "Imam Bonjol",
    "Sisingamangaraja",
    "Pattimura",
    "Diponegoro",
    "Nenas",
    "Timor Raya",
    "Eban",
)
MOBILE_PREFIXES = ("0812", "0813", "0821", "0822", "0823", "0852", "0853", "0851", "0811", "0857")


@dataclass(frozen=True)
class Post:
    """A kind of job in a unit: how many people hold it at scale 1 and what it pays."""

    position: str
    count: int
    wage: tuple[int, int] = (1_750_000, 2_600_000)
    female: float = 0.45
    titles: tuple[str, ...] = ()  # academic titles after the name (", S.Pd."), one drawn when titled
    titled: float = 0.0  # share of holders who carry one
    ages: tuple[int, int] = (21, 55)


SWEEPER = "Petugas Kebersihan/Penyapu Jalan"
ADMIN_TITLES = ("S.E.", "S.Sos.", "A.Md.", "S.Kom.", "S.AP.")


def _admin(count: int) -> Post:
    return Post("Tenaga Administrasi", count, (1_800_000, 2_750_000), 0.55, ADMIN_TITLES, 0.5)


def _cleaner(count: int) -> Post:
    return Post("Petugas Kebersihan", count, (1_600_000, 2_100_000), 0.6)


def _driver(count: int, position: str = "Sopir") -> Post:
    return Post(position, count, (1_900_000, 2_500_000), 0.03)


def _porter(count: int) -> Post:
    return Post("Pramu Kantor", count, (1_600_000, 2_000_000), 0.4)


def _guard(count: int) -> Post:
    return Post("Satpam", count, (1_800_000, 2_300_000), 0.1)


NURSE = Post("Perawat", 0, (2_300_000, 3_500_000), 0.75, ("S.Kep., Ns.", "A.Md.Kep."), 0.9)
MIDWIFE = Post("Bidan", 0, (2_300_000, 3_300_000), 1.0, ("A.Md.Keb.", "S.Tr.Keb."), 0.9)


def _like(post: Post, count: int) -> Post:
    return Post(post.position, count, post.wage, post.female, post.titles, post.titled, post.ages)


# Kota Kupang's OPDs (code, name, posts); the counts add up to the 2,300 non-ASN of seed 001.
KUPANG_OPDS: tuple[tuple[str, str, tuple[Post, ...]], ...] = (
    (
        "DLHK",
        "Dinas Lingkungan Hidup dan Kebersihan",
        (
            Post(SWEEPER, 253, (1_750_000, 2_100_000), 0.55, ages=(20, 58)),
            Post("Petugas Pengangkut Sampah", 110, (1_800_000, 2_200_000), 0.05),
            _driver(45, "Sopir Truk Sampah"),
            Post("Petugas Pertamanan", 30, (1_700_000, 2_100_000), 0.3),
            _admin(12),
        ),
    ),
    (
        "DINKES",
        "Dinas Kesehatan",
        (
            _like(NURSE, 90),
            _like(MIDWIFE, 70),
            _admin(40),
            Post("Analis Laboratorium", 20, (2_200_000, 3_200_000), 0.7, ("A.Md.AK.",), 0.8),
            Post("Tenaga Farmasi", 20, (2_200_000, 3_200_000), 0.7, ("A.Md.Farm.", "S.Farm."), 0.8),
            _driver(20, "Sopir Ambulans"),
            _cleaner(50),
        ),
    ),
    (
        "RSUD",
        "RSUD S.K. Lerik",
        (
            _like(NURSE, 120),
            _like(MIDWIFE, 30),
            _admin(40),
            _cleaner(30),
            _guard(20),
            Post("Tenaga Gizi", 10, (2_100_000, 3_000_000), 0.8, ("A.Md.Gz.",), 0.8),
        ),
    ),
    (
        "DIKBUD",
        "Dinas Pendidikan dan Kebudayaan",
        (
            _admin(60),
            Post("Operator Dapodik", 50, (1_800_000, 2_500_000), 0.5, ("S.Kom.",), 0.3),
            Post("Penjaga Sekolah", 50, (1_600_000, 2_000_000), 0.1),
            _cleaner(20),
        ),
    ),
    (
        "PUPR",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        (
            Post("Tenaga Teknis", 50, (2_300_000, 3_500_000), 0.2, ("S.T.", "A.Md.T."), 0.8),
            Post("Drafter", 15, (2_000_000, 3_000_000), 0.3),
            Post("Pengawas Lapangan", 30, (2_200_000, 3_200_000), 0.1),
            Post("Operator Alat Berat", 20, (2_200_000, 3_000_000), 0.0),
            _driver(15),
            _admin(20),
        ),
    ),
    (
        "SATPOLPP",
        "Satuan Polisi Pamong Praja",
        (
            Post("Petugas Ketertiban", 170, (1_900_000, 2_500_000), 0.2),
            Post("Penjaga Malam", 20, (1_700_000, 2_100_000), 0.0),
            _admin(10),
        ),
    ),
    (
        "BPKAD",
        "Badan Pengelolaan Keuangan dan Aset Daerah",
        (
            _admin(35),
            Post("Operator Komputer", 20, (1_900_000, 2_600_000), 0.5, ("S.Kom.", "A.Md."), 0.5),
            _porter(5),
        ),
    ),
    (
        "BKPSDM",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        (
            _admin(25),
            Post("Operator Komputer", 10, (1_900_000, 2_600_000), 0.5, ("S.Kom.",), 0.5),
            _porter(5),
        ),
    ),
    (
        "NAKERTRANS",
        "Dinas Tenaga Kerja dan Transmigrasi",
        (
            _admin(20),
            Post("Instruktur Pelatihan", 10, (2_200_000, 3_200_000), 0.4, ("S.T.", "S.Pd."), 0.6),
            _porter(5),
        ),
    ),
    ("SETDA", "Sekretariat Daerah", (_admin(70), _driver(30), _porter(25), _guard(25))),
    (
        "DISHUB",
        "Dinas Perhubungan",
        (
            Post("Petugas Parkir", 80, (1_600_000, 2_000_000), 0.15),
            Post("Petugas Lalu Lintas", 40, (1_800_000, 2_300_000), 0.1),
        ),
    ),
    (
        "DINSOS",
        "Dinas Sosial",
        (Post("Pendamping Sosial", 25, (2_000_000, 2_800_000), 0.6, ("S.Sos.",), 0.7), _admin(15)),
    ),
    (
        "DUKCAPIL",
        "Dinas Kependudukan dan Pencatatan Sipil",
        (
            Post("Operator Perekaman KTP-el", 35, (1_900_000, 2_500_000), 0.6),
            _admin(25),
        ),
    ),
    (
        "BPBD",
        "Badan Penanggulangan Bencana Daerah",
        (
            Post("Tim Reaksi Cepat", 30, (1_900_000, 2_500_000), 0.1),
            _admin(15),
        ),
    ),
    (
        "DAMKAR",
        "Dinas Pemadam Kebakaran",
        (
            Post("Petugas Pemadam Kebakaran", 50, (1_900_000, 2_600_000), 0.02),
            _admin(10),
        ),
    ),
)
# Each of the six kecamatan offices: the same small staff.
KECAMATAN_OFFICE_POSTS = (_admin(15), _cleaner(5), _guard(5))

KUPANG_SCHOOLS = (
    "SD Inpres Oesapa",
    "SD Negeri Oebobo 1",
    "SD Inpres Liliba",
    "SD Inpres Naikoten 1",
    "SD Negeri Bonipoi 1",
    "SD Inpres Oepura",
    "SD Inpres Maulafa",
    "SD Negeri Fatululi",
    "SD Inpres Kayu Putih",
    "SD Inpres Bakunase",
    "SD Inpres Penfui",
    "SD Inpres Sikumana 1",
    "SD Negeri Airmata",
    "SD Inpres Alak",
    "SD Negeri Namosain",
    "SD Inpres Fatufeto",
    "SMP Negeri 1 Kupang",
    "SMP Negeri 2 Kupang",
    "SMP Negeri 3 Kupang",
    "SMP Negeri 5 Kupang",
    "SMP Negeri 7 Kupang",
    "SMP Negeri 9 Kupang",
    "SMP Negeri 11 Kupang",
    "SMP Negeri 13 Kupang",
    "SMP Negeri 16 Kupang",
    "SMP Negeri 19 Kupang",
)
SD_POSTS = ("Guru Kelas", "Guru Pendidikan Agama", "Guru PJOK")
SMP_POSTS = (
    "Guru Matematika",
    "Guru Bahasa Indonesia",
    "Guru Bahasa Inggris",
    "Guru IPA",
    "Guru IPS",
    "Guru PJOK",
    "Guru Seni Budaya",
    "Guru Pendidikan Agama",
    "Guru Informatika",
)
TEACHER_WAGE = (1_500_000, 2_500_000)
TEACHER_TITLES = ("S.Pd.", "S.Pd.", "S.Pd.", "S.Si.", "S.Ag.", "S.Pd.K.")

# TTU's pekerja rentan (seed 004) and what they do.
TTU_RENTAN = 14_880
OCCUPATIONS = (
    ("petani", 45),
    ("peternak", 15),
    ("nelayan", 6),
    ("pedagang kecil", 12),
    ("tukang ojek", 10),
    ("buruh harian", 12),
)
POVERTY = (("miskin ekstrem", 35), ("desil 1", 35), ("desil 2", 30))

# Perangkat desa (Permendagri 84/2015) and their fixed pay floor (PP 11/2019: 120 / 110 / 100 % of a
# civil servant's IIa base pay) [C: demo figures, not a rule the product relies on].
PERANGKAT_POSTS = (
    ("Kepala Desa", 2_426_640),
    ("Sekretaris Desa", 2_224_420),
    ("Kaur Tata Usaha dan Umum", 2_022_200),
    ("Kaur Keuangan", 2_022_200),
    ("Kaur Perencanaan", 2_022_200),
    ("Kasi Pemerintahan", 2_022_200),
    ("Kasi Kesejahteraan", 2_022_200),
    ("Kasi Pelayanan", 2_022_200),
)
DUSUN_HEADS = 3
RT_RW_INCENTIVE = (250_000, 500_000)
ROMAN = ("I", "II", "III", "IV", "V")
