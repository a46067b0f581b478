from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from payung.web.templatetags.payung import angka, money, rupiah


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("people"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_login_page_names_the_product(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "Payung" in page and 'lang="id"' in page


def test_login_and_logout(client, world):
    response = client.post(reverse("login"), {"username": "kupang", "password": "rahasia-ujian-123"})
    assert response.status_code == 302 and response.url == reverse("home")
    response = client.post(reverse("logout"), follow=True)
    assert "Anda sudah keluar." in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_password_change_validates(client, login, world):
    login("kupang")
    response = client.post(
        reverse("password_change"),
        {"old_password": "salah", "new_password1": "x", "new_password2": "y"},
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "rahasia-ujian-123",
            "new_password1": "payung-baru-2026",
            "new_password2": "payung-baru-2026",
        },
    )
    assert response.status_code == 302


def test_language_switch_shows_english(client, login, world):
    login("kupang")
    client.post(reverse("set_language"), {"language": "en", "next": reverse("people")})
    page = client.get(reverse("people")).content.decode()
    assert 'lang="en"' in page
    assert "Search NIK or name" in page and "Cari NIK atau nama" not in page


def test_numbers_the_indonesian_way():
    with translation.override("id"):
        assert (angka(1234567), money(2500000)) == ("1.234.567", "Rp 2.500.000")
        assert (money(-39960), money(0), money(None)) == ("-Rp 39.960", "Rp 0", "")
        # In a page an amount is one unbreakable piece; None stays empty for |default.
        assert (rupiah(2500000), rupiah(None)) == ('<span class="money">Rp 2.500.000</span>', "")
    with translation.override("en"):
        assert angka(1234567) == "1,234,567"


def test_unknown_url_gets_the_custom_404_in_english_too(client, login, world):
    login("kupang")
    assert "Halaman tidak ditemukan" in client.get("/tidak-ada/").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Page not found" in client.get("/tidak-ada/").content.decode()


def test_500_page_is_bilingual_and_standalone():
    page = render_to_string("500.html")
    assert "Terjadi kesalahan" in page and "Something went wrong" in page
