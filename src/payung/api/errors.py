"""Every error the API returns is JSON with a message in the caller's language; never a traceback.

Shape: ``{"detail": "...", "errors": {"field": ["...", ...]}}``; ``errors`` only on 422. A body that
cannot be parsed (multipart without a boundary, a broken part header, too many fields) is a 400: ninja
reads request.POST/FILES inside the operation, so Django's own 400 for these never gets to answer.
"""

from __future__ import annotations

import logging

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError

from payung.audit.locking import Conflict
from payung.registry.services import NotAllowed, ValidationFailed

logger = logging.getLogger("payung.api")


def _invalid_text() -> str:
    return _("Data tidak valid. Periksa kolom yang ditandai.")


def _schema_message(error: dict) -> str:
    """Pydantic's messages are English and technical; operators get one of a few plain sentences."""
    kind = error.get("type", "")
    if kind == "missing":
        return _("Wajib diisi.")
    if kind.startswith(("date", "datetime")):
        return _("Tanggal harus ditulis sebagai YYYY-MM-DD.")
    if kind.startswith(("int", "float", "decimal")):
        return _("Harus berupa bilangan bulat.")
    if kind in {"literal_error", "enum"}:
        return _("Pilihan tidak dikenal.")
    if kind.startswith("string_too"):
        return _("Panjang teks tidak sesuai.")
    return _("Nilai tidak valid.")


def unreadable_body() -> str:
    return _(
        "Isi permintaan tidak dapat dibaca: rusak, tidak lengkap atau terlalu banyak bagian. "
        "Kirim berkas sebagai multipart/form-data yang utuh."
    )


def _field(loc: tuple | list) -> str:
    # loc is e.g. ("body", "payload", "birth_date"); the caller only knows the last part.
    parts = [str(p) for p in loc[1:]]
    return parts[-1] if parts else "non_field"


def _json(api: NinjaAPI, request: HttpRequest, status: int, detail: str, errors=None) -> HttpResponse:
    body: dict = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


def _bad_request(api: NinjaAPI, request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.warning("API unreadable request on %s %s: %s", request.method, request.path, exc)
    return _json(api, request, 400, unreadable_body())


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationFailed)
    def invalid(request, exc: ValidationFailed):
        return _json(api, request, 422, _invalid_text(), exc.errors)

    @api.exception_handler(NotAllowed)
    def not_allowed(request, exc: NotAllowed):
        # A right the caller lacks is a 403 even when the service words it on a field, for the web form.
        return _json(api, request, 403, next(iter(exc.errors.values()))[0])

    for unreadable in (MultiPartParserError, BadRequest, SuspiciousOperation):
        api.add_exception_handler(unreadable, lambda request, exc: _bad_request(api, request, exc))

    @api.exception_handler(SchemaError)
    def malformed(request, exc: SchemaError):
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(_field(error.get("loc", ())), []).append(_schema_message(error))
        return _json(api, request, 422, _invalid_text(), errors)

    @api.exception_handler(Conflict)
    def conflict(request, exc: Conflict):
        return _json(api, request, 409, exc.for_api())

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return _json(api, request, 404, _("Tidak ditemukan."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return _json(api, request, 403, _("Peran Anda tidak berhak melakukan ini."))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return _json(
            api, request, 401, _("Masuk dulu, atau kirim token API yang sah (Authorization: Bearer).")
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        messages = {
            403: _("Permintaan ditolak (pemeriksaan CSRF gagal)."),
            405: _("Metode tidak diizinkan."),
            429: _("Terlalu banyak permintaan; coba lagi nanti."),
        }
        return _json(
            api, request, exc.status_code, messages.get(exc.status_code, _("Permintaan tidak valid."))
        )

    @api.exception_handler(Exception)
    def crashed(request, exc: Exception):
        logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
        return _json(api, request, 500, _("Terjadi kesalahan di server. Kejadian ini sudah dicatat."))
