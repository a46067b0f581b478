"""Rules (versioned rates, caps, benefits) and the contribution calculator: /aturan/ and /kalkulator/.

Rules are national reference data, readable by every signed-in user; adding a version is for a superuser
(national) or a region's admin (that region's own versions, e.g. its minimum wage).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from payung import formats
from payung.accounts import scope
from payung.contributions import billing
from payung.contributions.calculator import PROGRAMS, QuoteError, quote
from payung.registry.services import ValidationFailed
from payung.rules import services
from payung.rules.models import Confidence, Parameter, Program
from payung.rules.queries import book, parameters
from payung.web.forms import Form, RupiahField, ServiceForm, date_field


def _lang() -> str:
    return translation.get_language() or "id"


def _english() -> bool:
    return _lang().startswith("en")


@login_required
def rules_list(request):
    today = timezone.localdate()
    form = OnDateForm(request.GET or None, initial={"on": today})
    on = form.cleaned_data["on"] if form.is_valid() and form.cleaned_data["on"] else today
    region = scope.region_prefix(request.user) or ""
    rules, english = book(), _english()
    groups: dict[str, list[dict]] = {}
    for parameter in parameters():
        label = parameter.program.code if parameter.program else _("Umum")
        groups.setdefault(label, []).append(
            {
                "key": parameter.key,
                "description": (parameter.description_en if english else "") or parameter.description,
                "measure": parameter.measure,
                "version": rules.optional(parameter.key, on, region),
                "history": rules.history(parameter.key),
            }
        )
    context = {
        "title": _("Aturan iuran dan manfaat"),
        "form": form,
        "on": on,
        "groups": groups,
        "confidences": Confidence.choices,
        "can_add": request.user.can_set_rules(region) or request.user.can_set_rules(""),
    }
    return render(request, "web/rules.html", context)


class OnDateForm(Form):
    on = date_field(gettext_lazy("Berlaku pada tanggal"))


class VersionForm(ServiceForm):
    key = forms.ChoiceField(label=gettext_lazy("Aturan"))
    scope = forms.ChoiceField(label=gettext_lazy("Berlaku untuk"), required=False)  # "" = nationally
    effective_from = date_field(gettext_lazy("Berlaku mulai"), required=True)
    value = forms.CharField(
        label=gettext_lazy("Nilai"),
        max_length=24,
        help_text=gettext_lazy("Persen (mis. 0,24) atau rupiah (mis. 11086300)."),
    )
    confidence = forms.ChoiceField(label=gettext_lazy("Keyakinan"), choices=Confidence.choices)
    source = forms.CharField(
        label=gettext_lazy("Sumber"),
        max_length=300,
        help_text=gettext_lazy("Peraturan dan pasalnya, atau nomor surat BPJS."),
    )
    note = forms.CharField(
        label=gettext_lazy("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    error_fields = {"region_code": "scope"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [(p.key, f"{p.key} · {p.description}") for p in Parameter.objects.all()]
        scopes = [("", _("Seluruh Indonesia"))] if user.can_set_rules("") else []
        if user.region_id and user.can_set_rules(user.region_id):
            scopes.append((user.region_id, user.region.name))
        self.fields["scope"].choices = scopes

    def data_object(self) -> services.VersionData:
        d = self.cleaned_data
        return services.VersionData(
            d["key"], d["effective_from"], d["value"], d["source"], d["confidence"], d["note"], d["scope"]
        )


@login_required
def rule_add(request):
    user = request.user
    if not (user.can_set_rules("") or (user.region_id and user.can_set_rules(user.region_id))):
        raise Http404
    form = VersionForm(request.POST or None, user=user, initial={"key": request.GET.get("key")})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.add_version(user, form.data_object())
        except ValidationFailed as failed:
            form.show(failed.errors)
        else:
            messages.success(
                request,
                _("Versi baru %(key)s berlaku mulai %(date)s disimpan.")
                % {"key": version.parameter_id, "date": formats.format_date(version.effective_from, _lang())},
            )
            if note := billing.reached_note(version):
                messages.warning(request, note)
            return redirect("rules")
    return render(request, "web/rule_add.html", {"title": _("Tambah versi aturan"), "form": form})


# ------------------------------------------------------------------------------------------ calculator
class QuoteForm(Form):
    category = forms.ChoiceField(
        label=gettext_lazy("Kategori"),
        widget=forms.RadioSelect,
        initial="pu",
        choices=[
            ("pu", gettext_lazy("Penerima upah (PU)")),
            ("bpu", gettext_lazy("Bukan penerima upah (BPU)")),
        ],
    )
    amount = RupiahField(label=gettext_lazy("Upah atau penghasilan sebulan (Rp)"), min_value=0)
    programs = forms.MultipleChoiceField(
        label=gettext_lazy("Program"),
        widget=forms.CheckboxSelectMultiple,
        choices=[(p, p) for p in PROGRAMS["pu"]],
    )
    jkk_class = forms.TypedChoiceField(
        label=gettext_lazy("Kelompok risiko JKK"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "—")] + [(n, n) for n in range(1, 6)],
    )
    on = date_field(gettext_lazy("Tanggal"), required=True)


@login_required
def calculator(request):
    initial = {"category": "pu", "programs": ["JKK", "JKM"], "jkk_class": 1, "on": timezone.localdate()}
    form = QuoteForm(request.GET or None, initial=initial)
    names = {p.code: (p.name_en if _english() and p.name_en else p.name) for p in Program.objects.all()}
    form.fields["programs"].choices = [(code, f"{code} · {names.get(code, '')}") for code in PROGRAMS["pu"]]
    result = None
    if form.is_valid():
        d = form.cleaned_data
        try:
            result = quote(
                book(),
                category=d["category"],
                amount=d["amount"],
                programs=d["programs"],
                on=d["on"],
                jkk_class=d["jkk_class"],
                region=scope.region_prefix(request.user) or "",
            )
        except QuoteError as refused:
            form.add_error(None, refused.text(translation.get_language() or "id"))
    rows = [(line, names.get(line.program, "")) for line in result.lines] if result else []
    context = {"title": _("Kalkulator iuran"), "form": form, "result": result, "rows": rows}
    return render(request, "web/calculator.html", context)
