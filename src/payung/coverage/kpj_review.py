"""KPJ conflicts of BPJS's registration replies: review items, decided by someone who manages money.

A reply that answers a KPJ other than the one the registry holds for the person leaves the entry in state
``conflict`` (coverage.replies) and the person's KPJ as it was (decision 0020, KPJ conflicts). Here it is
decided, audited: take BPJS's number (refused while another person still holds it), or keep the
registry's (BPJS's answer stays in the entry's note). Either way the entry counts as registered.

Scoping: the entries of the registration batches the user may see (queries.registration_batches).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.audit.services import record
from payung.coverage import queries
from payung.coverage.models import Agreement, RegistrationEntry
from payung.registry.models import Person
from payung.registry.nik import mask
from payung.registry.services import ValidationFailed

CHOICES = ("bpjs", "registry")


def conflicts(user, agreement: Agreement | None = None) -> QuerySet[RegistrationEntry]:
    """Entries awaiting a decision, of the batches the user may see (of ``agreement`` when given)."""
    batches = queries.registration_batches(user)
    if agreement is not None:
        batches = batches.filter(agreement=agreement)
    return (
        RegistrationEntry.objects.filter(state=RegistrationEntry.State.CONFLICT, batch__in=batches)
        .select_related("person", "batch")
        .order_by("person__name", "id")
    )


@transaction.atomic
def resolve(user, entry: RegistrationEntry, choice: str, *, channel: str = "web") -> RegistrationEntry:
    """Decide a conflict: ``choice`` 'bpjs' (the person takes BPJS's KPJ) or 'registry' (keeps theirs)."""
    entry = RegistrationEntry.objects.select_for_update().select_related("person", "batch").get(pk=entry.pk)
    if entry.state != RegistrationEntry.State.CONFLICT:
        raise ValidationFailed({"choice": [_("KPJ ini sudah diputuskan.")]})
    if choice not in CHOICES:
        raise ValidationFailed({"choice": [_("Pilih KPJ dari BPJS atau KPJ di registri.")]})
    person, answered = entry.person, entry.kpj
    before = person.kpj
    if choice == "bpjs":
        holder = Person.objects.filter(kpj=answered).exclude(pk=person.pk).first()
        if holder is not None:
            message = _("KPJ %(kpj)s masih tercatat untuk NIK %(nik)s; perbaiki data orang itu dulu.")
            raise ValidationFailed({"choice": [message % {"kpj": answered, "nik": mask(holder.nik)}]})
        # A new version: a person form opened before this must not save the old KPJ back over it.
        Person.objects.filter(pk=person.pk).update(
            kpj=answered, updated_at=timezone.now(), version=F("version") + 1
        )
        entry.note = _join(entry.note, _("KPJ dari BPJS dipakai (sebelumnya %(kpj)s).") % {"kpj": before})
    else:
        kept = _("KPJ registri dipertahankan; BPJS menjawab %(kpj)s.") % {"kpj": answered}
        entry.note = _join(entry.note, kept)
        entry.kpj = before
    entry.state = RegistrationEntry.State.REGISTERED
    entry.save(update_fields=["state", "kpj", "note"])
    record(
        user,
        "registration.kpj_resolve",
        entry,
        region_code=entry.batch.agreement.region_id,
        before={"kpj": before, "state": RegistrationEntry.State.CONFLICT.value},
        after={"kpj": entry.kpj, "answered": answered, "choice": choice, "person_id": person.pk},
        channel=channel,
    )
    return entry


def _join(note: str, more: str) -> str:
    return f"{note} · {more}"[:2000] if note else more
