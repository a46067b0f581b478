"""Issue 13, point 5: the national admin's "Impor daftar" and "Tambah orang" led to a 404. A user is shown a
region-bound button only when its page answers; a national admin chooses the kab/kota to work in first
(payung.web.acting, decision 0018)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from payung.accounts.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(world):
    return User.objects.create_user("root", role=Role.ADMIN, is_superuser=True, is_staff=True)


def test_a_national_admin_reads_everywhere_and_is_offered_no_button_that_404s(client, root):
    client.force_login(root)
    home = client.get(reverse("home")).content.decode()
    assert (
        f'href="{reverse("import_upload")}"' not in home and f'href="{reverse("person_create")}"' not in home
    )
    assert 'name="wilayah"' in home and "Pilih kabupaten/kota untuk mengimpor" in home
    for name in ("import_upload", "person_create", "agreement_create"):
        assert client.get(reverse(name)).status_code == 404  # the page itself: there is no region to write


def test_after_choosing_a_kab_kota_the_admin_imports_and_adds_people_there(client, root, world):
    client.force_login(root)
    response = client.post(reverse("acting_region"), {"wilayah": "5303", "next": reverse("people")})
    assert response.status_code == 302 and response["Location"] == reverse("people")
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("import_upload")}"' in home and f'href="{reverse("person_create")}"' in home
    upload = client.get(reverse("import_upload")).content.decode()
    assert world.ttu.unit.name in upload and world.kupang.unit.name not in upload  # that region's units only
    assert client.get(reverse("person_create")).status_code == 200
    client.post(reverse("acting_region"), {"wilayah": ""})  # back to reading only
    assert client.get(reverse("import_upload")).status_code == 404


def test_only_a_national_admin_chooses_and_only_a_kab_kota(client, root, login):
    client.force_login(root)
    client.post(reverse("acting_region"), {"wilayah": "53"})  # a province is no tenant
    assert client.get(reverse("import_upload")).status_code == 404
    login("kupang")
    assert client.post(reverse("acting_region"), {"wilayah": "5303"}).status_code == 404
    assert "Pilih kabupaten/kota" not in client.get(reverse("home")).content.decode()
