"""A district's monthly coverage summary as a signed file (decision 0022): counts and money only, never a
name or a NIK; signed with HMAC-SHA256 under a key per kab/kota, so the province refuses a file that was
changed after signing or signed by anyone but the holder of that district's key.

The key: the province derives one per kab/kota from its own secret (``district_key``) and hands it to the
district once (``payung coverage key --region CODE``); the district puts it in ``PAYUNG_COVERAGE_KEY``.
A server that is both (the demo, one installation for a whole province) needs nothing: without the
variable the derived key is used. HMAC, not Ed25519: the standard library has it (Payung adds no
cryptography dependency), and the province is the only verifier, so a shared key per district suffices.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from dataclasses import dataclass

from django.conf import settings

FORMAT = "payung-coverage-summary"
VERSION = 1
ALGORITHM = "HMAC-SHA256"
ENV_KEY = "PAYUNG_COVERAGE_KEY"
# What a summary file may carry: the figures' keys (counts and money); breakdown rows only by group, unit
# kind and kecamatan (no unit names: a one-person unit would name its person).
FIGURES = (
    "people",
    "covered",
    "uncovered",
    "paid",
    "unpaid",
    "reasons",
    "programs",
    "groups",
    "money",
    "agreements",
)
ROW_KINDS = ("group", "kind", "kecamatan")


class Refused(Exception):
    """A file the province will not import; the message says why (Indonesian, for the command's output)."""


def district_key(region_code: str) -> bytes:
    """The key of one kab/kota: from ``PAYUNG_COVERAGE_KEY`` (hex) on a district's own server, else derived
    from this server's secret."""
    given = os.environ.get(ENV_KEY, "").strip()
    if given:
        return bytes.fromhex(given)
    return hmac.new(
        settings.SECRET_KEY.encode(), f"payung-coverage:{region_code}".encode(), "sha256"
    ).digest()


def _canonical(document: dict) -> bytes:
    body = {k: v for k, v in document.items() if k != "signature"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(document: dict, key: bytes) -> dict:
    value = hmac.new(key, _canonical(document), hashlib.sha256).hexdigest()
    return {**document, "signature": {"alg": ALGORITHM, "key_id": document["region"], "value": value}}


def build(
    region_code: str, period: dt.date, figures: dict, rows: list[dict], *, extra: dict, signed_at: dt.datetime
) -> dict:
    """The unsigned document: the summary's counts and money, plus ``extra`` (regulation, budget)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "region": region_code,
        "period": f"{period:%Y-%m}",
        "signed_at": signed_at.isoformat(),
        "figures": {k: figures[k] for k in FIGURES if k in figures},
        "rows": [r for r in rows if r.get("by") in ROW_KINDS],
        **extra,
    }


@dataclass(frozen=True)
class Verified:
    document: dict
    sha256: str
    region: str
    period: dt.date
    signed_at: dt.datetime


def verify(raw: bytes) -> Verified:
    """The document if its signature holds under its district's key; Refused otherwise."""
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Refused("Berkas bukan ringkasan cakupan Payung (JSON tidak terbaca).") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise Refused("Berkas bukan ringkasan cakupan Payung.")
    if document.get("version") != VERSION:
        raise Refused(f"Versi berkas {document.get('version')!r} tidak dikenal.")
    signature = document.get("signature") or {}
    region = str(document.get("region", ""))
    if signature.get("alg") != ALGORITHM or signature.get("key_id") != region or len(region) != 4:
        raise Refused("Tanda tangan berkas tidak ada atau tidak dikenal.")
    expected = hmac.new(district_key(region), _canonical(document), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, str(signature.get("value", ""))):
        raise Refused("Tanda tangan tidak cocok: berkas diubah setelah ditandatangani, atau kuncinya salah.")
    try:
        period = dt.datetime.strptime(document["period"], "%Y-%m").date()
        signed_at = dt.datetime.fromisoformat(document["signed_at"])
    except (KeyError, ValueError) as exc:
        raise Refused("Bulan atau waktu tanda tangan berkas tidak terbaca.") from exc
    return Verified(document, hashlib.sha256(raw).hexdigest(), region, period, signed_at)
