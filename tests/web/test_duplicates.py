from django.urls import reverse

from payung.audit.models import AuditEvent
from payung.registry.models import DuplicateCandidate, Person


def test_queue_lists_open_pairs_of_the_region_with_masked_niks(client, login, world):
    login("kupang")
    page = client.get(reverse("duplicates")).content.decode()
    assert reverse("duplicate", args=[world.kupang.candidate.pk]) in page
    assert reverse("duplicate", args=[world.ttu.candidate.pk]) not in page
    assert world.kupang.person.masked_nik in page and world.kupang.person.nik not in page


def test_compare_page_highlights_differences_and_audits_both_views(client, login, world):
    login("kupang")
    candidate = world.kupang.candidate
    page = client.get(reverse("duplicate", args=[candidate.pk])).content.decode()
    name_row = page.split("Maria Bere</td>")[0].rsplit("<tr", 1)[1]
    assert 'class="differs"' in name_row
    dob_row = page.split("Tanggal lahir")[1].split("</tr>")[0]
    assert "differs" not in dob_row and "30-04-1985" in dob_row
    viewed = AuditEvent.objects.filter(action="person.view").values_list("object_id", flat=True)
    assert {str(candidate.left_id), str(candidate.right_id)} <= set(viewed)


def test_other_regions_pair_is_404(client, login, world):
    login("kupang")
    pk = world.ttu.candidate.pk
    assert client.get(reverse("duplicate", args=[pk])).status_code == 404
    assert client.post(reverse("duplicate_dismiss", args=[pk]), {"reason": "x"}).status_code == 404


def test_merge_needs_a_reason_then_keeps_the_chosen_record(client, login, world):
    login("kupang")
    candidate = world.kupang.candidate
    url = reverse("duplicate_merge", args=[candidate.pk])
    response = client.post(url, {"keep": "right", "reason": ""})
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    response = client.post(url, {"keep": "right", "reason": "Nama salah ketik di berkas lama"})
    assert response.status_code == 302
    assert Person.objects.filter(pk=candidate.right_id).exists()
    assert not Person.objects.filter(pk=candidate.left_id).exists()


def test_dismiss_closes_the_pair(client, login, world):
    login("kupang")
    candidate = world.kupang.candidate
    response = client.post(reverse("duplicate_dismiss", args=[candidate.pk]), {"reason": "Kakak beradik"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.state == DuplicateCandidate.State.DISMISSED
    assert reverse("duplicate", args=[candidate.pk]) not in client.get(reverse("duplicates")).content.decode()


def test_viewer_cannot_decide(client, login, world):
    login("kupang_viewer")
    candidate = world.kupang.candidate
    page = client.get(reverse("duplicate", args=[candidate.pk])).content.decode()
    assert reverse("duplicate_merge", args=[candidate.pk]) not in page
    assert client.post(reverse("duplicate_dismiss", args=[candidate.pk]), {"reason": "x"}).status_code == 404
