"""JSON API v1, the signed credentials, the status lists and the issuer's key documents.

Public contract (see openapi.json): keep these URLs and fields stable.
"""

import contextlib
import json
from importlib import resources
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import credentials, keys, ratelimit, selectors, services
from .models import VerificationLog
from .ratelimit import rate_limited
from .selectors import PUBLIC_FIELDS, Lookup, Outcome

MAX_BATCH = 100


def _json(data: Any, *, status: int = 200, public: bool = False) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    if public:
        # Wallets and verifiers fetch these from their own origin.
        response["Access-Control-Allow-Origin"] = "*"
    return response


def error(message: str, code: str, *, status: int, **extra: Any) -> JsonResponse:
    return _json({"error": message, "code": code, **extra}, status=status, public=True)


def _lookup_error(lookup: Lookup) -> JsonResponse | None:
    if lookup.outcome in (Outcome.TYPO, Outcome.MALFORMED):
        typo = lookup.outcome == Outcome.TYPO
        message = (
            _("This code has a typing mistake: one character does not match. Check it.")
            if typo
            else _("This is not a certificate code: it has 16 letters and digits.")
        )
        return error(message, lookup.code, status=400, typo=typo)
    if lookup.outcome == Outcome.UNKNOWN:
        return error(_("No certificate has this code."), lookup.code, status=404)
    return None


def _signing_unavailable(problem: keys.SigningKeyMissing) -> JsonResponse:
    return error(
        _("Signed credentials are unavailable right now; the certificate can still be checked.")
        + f" ({problem})",
        "signing_key_missing",
        status=503,
    )


def _bearer_key(request: HttpRequest):  # type: ignore[no-untyped-def]
    header = request.headers.get("Authorization", "")
    scheme, _sep, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return None
    return services.use_api_key(raw_key=raw.strip())


@rate_limited("api", json=True)
@require_GET
def certificate_detail(request: HttpRequest, code: str) -> JsonResponse:
    """GET /api/v1/certificates/<CODE>: the public facts and the status."""
    lookup = selectors.lookup_certificate(code)
    problem = _lookup_error(lookup)
    if problem is not None:
        return problem
    assert lookup.certificate is not None  # noqa: S101 - FOUND implies a certificate
    api_key = _bearer_key(request) if "Authorization" in request.headers else None
    services.record_verification(
        certificate=lookup.certificate,
        channel=VerificationLog.Channel.API,
        api_key=api_key,
        partner_account=api_key.owner if api_key else None,
    )
    return _json(lookup.facts, public=True)


def batch_result(lookup: Lookup) -> dict[str, Any]:
    """One row of a batch answer: the code as typed, then exactly the public fields."""
    row: dict[str, Any] = {"input": lookup.typed}
    if lookup.found:
        row.update(lookup.facts)
    else:
        row.update(dict.fromkeys(PUBLIC_FIELDS))
        row.update(code=lookup.code, status=lookup.outcome, name_confirmation_required=False)
    return row


@csrf_exempt  # token-authenticated, no cookie: CSRF does not apply
@require_POST
def verify_batch(request: HttpRequest) -> JsonResponse:
    """POST /api/v1/certificates/verify: up to 100 codes for a partner with an API key."""
    api_key = _bearer_key(request)
    if api_key is None:
        response = error(
            _("A valid partner API key is needed: send it as Authorization: Bearer <key>."),
            "unauthorized",
            status=401,
        )
        response["WWW-Authenticate"] = "Bearer"
        return response
    if not ratelimit.hit("bulk", f"key:{api_key.pk}"):
        return ratelimit.too_many_requests(request, json=True)  # type: ignore[return-value]
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return error(_("The request body must be JSON."), "invalid_json", status=400)
    typed_codes = body.get("codes") if isinstance(body, dict) else None
    if not isinstance(typed_codes, list) or not all(isinstance(c, str) for c in typed_codes):
        return error(
            _('Send {"codes": ["XXXX-XXXX-XXXX-XXXX", …]}.'), "invalid_request", status=400
        )
    if not typed_codes or len(typed_codes) > MAX_BATCH:
        return error(
            _("Send between 1 and %(max)s codes per request.") % {"max": MAX_BATCH},
            "too_many_codes" if typed_codes else "invalid_request",
            status=400,
        )
    lookups = selectors.lookup_many(typed_codes)
    services.record_verifications(
        certificates=[lookup.certificate for lookup in lookups if lookup.certificate is not None],
        channel=VerificationLog.Channel.BULK,
        api_key=api_key,
        partner_account=api_key.owner,
    )
    return _json({"results": [batch_result(lookup) for lookup in lookups]})


@rate_limited("api", json=True)
@require_GET
def credential(request: HttpRequest, code: str) -> HttpResponse:
    """GET /api/v1/certificates/<CODE>/credential: the signed OpenBadgeCredential (VC-JWT)."""
    lookup = selectors.lookup_certificate(code)
    problem = _lookup_error(lookup)
    if problem is not None:
        return problem
    assert lookup.certificate is not None  # noqa: S101
    try:
        stored = services.issue_credential(certificate=lookup.certificate)
    except keys.SigningKeyMissing as missing:
        return _signing_unavailable(missing)
    return jwt_response(stored.jwt)


def jwt_response(token: str, *, filename: str = "") -> HttpResponse:
    response = HttpResponse(token, content_type=credentials.JWT_MEDIA_TYPE)
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Robots-Tag"] = "noindex"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@rate_limited("api", json=True)
@require_GET
def status_list(request: HttpRequest, number: int) -> HttpResponse:
    """GET /api/v1/status-lists/<n>: the signed Bitstring Status List (revocation)."""
    if not selectors.status_list_exists(number):
        return error(_("No status list has this number."), str(number), status=404)
    try:
        private_key = services.current_private_key()
    except keys.SigningKeyMissing as missing:
        return _signing_unavailable(missing)
    payload = credentials.build_status_list(number, selectors.revoked_positions(number))
    response = jwt_response(credentials.sign(payload, private_key))
    response["Cache-Control"] = "public, max-age=300"
    return response


def _published_keys() -> list:
    # Publishes the configured key on first use; without one, retired keys stay published.
    with contextlib.suppress(keys.SigningKeyMissing):
        services.current_private_key()
    return selectors.published_keys()


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    """GET /.well-known/jwks.json: every public key, current and retired."""
    published = _published_keys()
    if not published:
        return _signing_unavailable(keys.SigningKeyMissing("no key configured"))
    return _json(
        {
            "keys": [
                {
                    **key.public_jwk,
                    "kid": keys.verification_method_id(key.kid),
                    "use": "sig",
                    "alg": "EdDSA",
                }
                for key in published
            ]
        },
        public=True,
    )


@require_GET
def did_document(request: HttpRequest) -> JsonResponse:
    """GET /.well-known/did.json: the did:web document of the issuer."""
    published = _published_keys()
    if not published:
        return _signing_unavailable(keys.SigningKeyMissing("no key configured"))
    did = keys.issuer_did()
    methods = [
        {
            "id": keys.verification_method_id(key.kid),
            "type": "JsonWebKey",
            "controller": did,
            "publicKeyJwk": key.public_jwk,
        }
        for key in published
    ]
    document = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"],
        "id": did,
        "verificationMethod": methods,
        # Retired keys stay assertion methods: credentials they signed remain valid.
        "assertionMethod": [method["id"] for method in methods],
    }
    response = _json(document, public=True)
    response["Content-Type"] = "application/did+json"
    return response


@require_GET
def openapi(request: HttpRequest) -> HttpResponse:
    """GET /api/v1/openapi.json: the hand-written OpenAPI 3.1 description of this API."""
    text = resources.files(__package__).joinpath("openapi.json").read_text(encoding="utf-8")
    response = HttpResponse(text, content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response
