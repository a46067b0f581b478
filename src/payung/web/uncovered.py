"""The people outside every agreement: active, engaged, covered by no membership today, by name.

Why each one is outside (coverage.prompts.why): no agreement in force names their group (and unit), e.g.
contract teachers of a Pemda whose PKS covers non-ASN staff only; or one does and they are not enrolled
under it (a wage not recorded yet). Scoping: the people the user may see (accounts.scope), NIKs masked.
Decision 0020 (enrolment prompts); the home page shows the count.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.accounts import scope
from payung.coverage import prompts

PAGE_SIZE = 50


def count(user) -> int:
    """For the home page."""
    return prompts.uncovered(scope.people(user), timezone.localdate()).count()


@login_required
def uncovered_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    people = prompts.uncovered(scope.people(request.user), today).order_by("name", "id")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list.prefetch_related("engagements__unit"))
    reasons = prompts.why(rows, today)
    context = {
        "title": _("Belum dijamin PKS"),
        "page": page,
        "rows": [(p, reasons[p.pk]) for p in rows],
        "today": today,
    }
    return render(request, "web/uncovered.html", context)
