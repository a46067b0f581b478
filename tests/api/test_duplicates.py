"""The duplicate queue over the API: scoped list, merge and dismiss with a reason, reviewers only."""

from payung.audit.models import AuditEvent
from payung.registry.models import DuplicateCandidate, Person


def test_queue_lists_open_pairs_with_masked_niks(api, world):
    data = api("kupang", "get", "/duplicates").json()
    assert [c["id"] for c in data["results"]] == [world.kupang.candidate.pk]
    left = data["results"][0]["left"]
    assert left["nik"].count("*") == 8 and left["name"] == "Maria Bere"


def test_dismiss_needs_a_reason(api, world):
    path = f"/duplicates/{world.kupang.candidate.pk}/dismiss"
    response = api("kupang", "post", path, {"reason": "  "})
    assert response.status_code == 422 and response.json()["errors"]["reason"] == ["Alasan wajib diisi."]
    response = api("kupang", "post", path, {"reason": "Dua orang berbeda: ibu dan anak"})
    assert response.status_code == 200 and response.json()["state"] == "dismissed"
    event = AuditEvent.objects.get(action="duplicate.dismiss")
    assert (event.channel, event.actor) == ("api", world.users["kupang"])
    assert api("kupang", "get", "/duplicates").json()["count"] == 0
    assert api("kupang", "get", "/duplicates", {"state": "dismissed"}).json()["count"] == 1


def test_merge_keeps_the_chosen_record(api, world):
    candidate = world.kupang.candidate
    path = f"/duplicates/{candidate.pk}/merge"
    wrong = api("kupang", "post", path, {"keep": world.ttu.person.pk, "reason": "sama"})
    assert wrong.status_code == 422 and "keep" in wrong.json()["errors"]
    response = api("kupang", "post", path, {"keep": world.kupang.twin.pk, "reason": "Orang yang sama"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "merged"
    assert not Person.objects.filter(pk=world.kupang.person.pk).exists()
    assert DuplicateCandidate.objects.get(pk=candidate.pk).reason == "Orang yang sama"
    assert AuditEvent.objects.filter(action="person.merge", channel="api").exists()
    merged = api("kupang", "get", "/duplicates", {"state": "merged"}).json()["results"]
    assert [c["id"] for c in merged] == [candidate.pk]


def test_only_reviewers_decide(api, world):
    path = f"/duplicates/{world.kupang.candidate.pk}/dismiss"
    assert api("kupang_viewer", "post", path, {"reason": "x"}).status_code == 403
    assert api("province", "post", path, {"reason": "x"}).status_code == 403
    assert DuplicateCandidate.objects.get(pk=world.kupang.candidate.pk).state == "open"
