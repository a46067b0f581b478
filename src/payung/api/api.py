"""The REST API at /api/v1: OpenAPI at /api/v1/openapi.json, interactive docs at /api/v1/docs.

Both need a logged-in browser session (they map every endpoint); Swagger UI comes from ninja's own static
files ("ninja" in INSTALLED_APPS), and without a validator it makes no request to another site.

Same scoping as the web UI (accounts.scope): a record of another tenant answers 404, never 403.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from ninja import NinjaAPI, Swagger

from payung.api import (
    benefits,
    bills,
    budget,
    claims,
    coverage,
    duplicates,
    errors,
    imports,
    monitoring,
    nik,
    payments,
    people,
    reconcile,
    regions,
    rules,
)
from payung.api.auth import api_auth

api = NinjaAPI(
    title="Payung API",
    version="1",
    description=(
        "Registri orang yang dijamin Pemda dalam BPJS Ketenagakerjaan. Autentikasi: "
        "`Authorization: Bearer <token>` (buat dengan `payung token create`) atau sesi peramban. "
        "Pesan galat dalam Bahasa Indonesia; kirim `Accept-Language: en` untuk bahasa Inggris."
    ),
    urls_namespace="api",
    auth=api_auth(),
    docs=Swagger(settings={"validatorUrl": None}),
    docs_decorator=login_required,
)
errors.install(api)
for module in (
    people,
    imports,
    duplicates,
    nik,
    regions,
    rules,
    coverage,
    bills,
    payments,
    reconcile,
    claims,
    benefits,
    budget,
    monitoring,
):
    api.add_router("", module.router)
