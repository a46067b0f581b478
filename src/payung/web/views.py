"""Web pages of the people registry: home, people list, person page and the single-person write forms.

Scoping: every record comes from accounts.scope; a record outside the user's scope, or a write URL for a
user who may not write, answers 404 (a 403 would confirm the record exists).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from payung.accounts import scope
from payung.audit.locking import Conflict
from payung.registry import services
from payung.registry.models import Group, Person, Status
from payung.registry.search import search_people
from payung.web import queries, saved_filters, uncovered
from payung.web.forms import EngagementForm, NewPersonForm, PersonChangeForm, PersonForm, StatusForm

PAGE_SIZE = 50


class NoColonLabels:
    """Django's own auth forms, with labels like ours (no trailing colon)."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "label_suffix": ""}


class LoginView(NoColonLabels, auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        """Past the failure limit for this username from this address (django-axes flags the request) the
        page says so, with 429, whichever password was sent: "wrong password" would invite more guesses."""
        if not getattr(self.request, "axes_locked_out", False):
            return super().form_invalid(form)
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        message = ngettext(
            "Terlalu banyak percobaan masuk yang gagal dengan nama pengguna ini. Coba lagi dalam %(minutes)d "
            "menit, atau minta admin membuka kuncinya.",
            "Terlalu banyak percobaan masuk yang gagal dengan nama pengguna ini. Coba lagi dalam %(minutes)d "
            "menit, atau minta admin membuka kuncinya.",
            minutes,
        ) % {"minutes": minutes}  # Indonesian counts without a plural; English needs one
        return self.render_to_response(self.get_context_data(form=form, locked_out=message), status=429)


def login_locked_out(request: HttpRequest, response: HttpResponse, credentials: dict | None) -> HttpResponse:
    """settings.AXES_LOCKOUT_CALLABLE: the lockout page is LoginView's own answer (the backend has already
    refused the login), so axes' middleware keeps it rather than putting its English page in its place."""
    return response


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Anda sudah keluar."))
        return response


class PasswordChangeView(NoColonLabels, auth_views.PasswordChangeView):
    template_name = "web/password_change.html"
    success_url = reverse_lazy("home")
    extra_context = {"title": gettext_lazy("Ganti kata sandi")}

    def form_valid(self, form):
        messages.success(self.request, _("Kata sandi sudah diganti."))
        return super().form_valid(form)


def role_required(allowed: Callable[[object], bool]) -> Callable:
    """Pages that exist only for users ``allowed`` lets in; for anyone else they are simply not there
    (404, never 403: a 403 would confirm the record exists)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not allowed(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


editor_required = role_required(lambda user: user.can_edit)
treasurer_required = role_required(lambda user: user.can_manage_money)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    stats = {**queries.dashboard(request.user), "uncovered": uncovered.count(request.user)}
    return render(request, "web/home.html", {"stats": stats})


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    units = scope.units(user).only("id", "name")
    unit = units.filter(pk=request.GET["unit"]).first() if request.GET.get("unit", "").isdigit() else None
    group = request.GET.get("group") if request.GET.get("group") in Group.values else ""
    status = request.GET.get("status") if request.GET.get("status") in Status.values else ""
    query = request.GET.get("q", "").strip()[:100]
    people = queries.filter_people(user, unit=unit, group=group, status=status)
    context = {
        "units": units,
        "groups": Group.choices,
        "statuses": Status.choices,
        "chosen": {"unit": unit.pk if unit else None, "group": group, "status": status, "q": query},
        "saved_filters": saved_filters.listed(user),
        "can_save_filter": bool(unit or group or status) and scope.tenant_of(user) is not None,
    }
    if query:
        context["results"] = _with_engagements(search_people(people, query, limit=PAGE_SIZE))
    else:
        page = Paginator(people.order_by("name", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
        context["page"] = page
        context["results"] = _with_engagements(page.object_list)
    return render(request, "web/people_list.html", context)


def _with_engagements(people) -> list[Person]:
    """The page's people (already fetched) with their engagements and units, in one more query each."""
    people = list(people)
    prefetch_related_objects(people, "engagements__unit")
    return people


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = scope.get_or_404(scope.people(request.user).select_related("region", "village"), pk=pk)
    services.record_view(request.user, person)
    context = {
        "person": person,
        "engagements": person.engagements.select_related("unit"),
        "history": person.status_changes.select_related("engagement__unit", "recorded_by"),
        "trail": queries.person_trail(person),
        "changeable": _changeable_ids(request.user, person),
    }
    return render(request, "web/person_detail.html", context)


def _changeable_ids(user, person: Person) -> set[int]:
    """The person's engagements that get "Ubah upah" and "Mutasi": editable by this user, not yet over."""
    if not user.can_edit:
        return set()
    today = timezone.localdate()
    current = queries.changeable_engagements(user).filter(person=person)
    return set(current.exclude(end_date__lt=today).values_list("id", flat=True))


def save_or_show(form, save: Callable[[], object]) -> bool:
    """Run a service write; on ValidationFailed put its messages next to the fields and roll back."""
    try:
        with transaction.atomic():
            save()
    except services.ValidationFailed as failed:
        form.show(failed.errors)
        return False
    return True


@editor_required
def person_create(request: HttpRequest) -> HttpResponse:
    region = scope.tenant_of(request.user)
    if region is None:
        raise Http404
    units = scope.units(request.user).filter(region=region)
    form = NewPersonForm(request.POST or None, region=region, units=units)
    created: list[Person] = []

    def save() -> None:
        person = services.create_person(request.user, region, form.person_data())
        services.add_engagement(request.user, person, form.engagement_data())
        created.append(person)

    if request.method == "POST" and form.is_valid() and save_or_show(form, save):
        messages.success(request, _("Data %(name)s sudah disimpan.") % {"name": created[0].name})
        return redirect("person", pk=created[0].pk)
    return render(request, "web/form.html", {"form": form, "title": _("Tambah orang")})


def _editable_person(request: HttpRequest, pk: int) -> Person:
    return scope.get_or_404(scope.people(request.user).select_related("region"), pk=pk)


def conflict_page(request: HttpRequest, template: str, context: dict, conflict: Conflict) -> HttpResponse:
    """An edit refused because the record changed after the form was opened: ``context`` holds the form
    reopened on the record as it is now; the message says who changed it and when (decision 0013)."""
    return render(request, template, {**context, "conflict": conflict.for_form()}, status=409)


def _person_form(
    request: HttpRequest, person: Person, form, save, done: str, title: str, reopen: Callable | None = None
) -> HttpResponse:
    """The pages that change one person: save through a service, then back to the person's page.
    ``reopen()`` is the form on the person as stored now, shown when a Conflict refused the save."""
    context = {"person": person, "title": title}
    try:
        if request.method == "POST" and form.is_valid() and save_or_show(form, save):
            messages.success(request, done)
            return redirect("person", pk=person.pk)
    except Conflict as conflict:
        if reopen is None:
            raise
        return conflict_page(request, "web/form.html", {**context, "form": reopen()}, conflict)
    return render(request, "web/form.html", {**context, "form": form})


@editor_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _editable_person(request, pk)

    def form_on(stored: Person, data=None) -> PersonChangeForm:
        return PersonChangeForm(data, region=stored.region, initial=PersonForm.initial_for(stored))

    form = form_on(person, request.POST or None)

    def save() -> None:
        version = form.cleaned_data["version"]
        services.update_person(request.user, person, form.person_data(), version=version)

    def reopen() -> PersonChangeForm:
        return form_on(_editable_person(request, pk))

    title = _("Ubah data %(name)s") % {"name": person.name}
    return _person_form(request, person, form, save, _("Perubahan sudah disimpan."), title, reopen)


@editor_required
def engagement_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = _editable_person(request, pk)
    units = scope.units(request.user).filter(region=person.region_id)
    form = EngagementForm(request.POST or None, units=units)

    def save() -> None:
        services.add_engagement(request.user, person, form.engagement_data())

    title = _("Tambah penugasan untuk %(name)s") % {"name": person.name}
    return _person_form(request, person, form, save, _("Penugasan sudah ditambahkan."), title)


@editor_required
def status_change(request: HttpRequest, pk: int) -> HttpResponse:
    person = _editable_person(request, pk)
    form = StatusForm(request.POST or None, person=person, initial={"version": person.version})

    def save() -> None:
        data = form.cleaned_data
        services.change_status(
            request.user,
            person,
            data["status"],
            data["effective_date"],
            reason=data["reason"],
            engagement=data["engagement"],
            version=data["version"],
        )

    def reopen() -> StatusForm:
        """What the user entered, over the person's current version: to check the history, then save."""
        stored = _editable_person(request, pk)
        return StatusForm(person=stored, initial={**form.cleaned_data, "version": stored.version})

    title = _("Ubah status %(name)s") % {"name": person.name}
    return _person_form(request, person, form, save, _("Status sudah dicatat."), title, reopen)
