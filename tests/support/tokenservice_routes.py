"""The endpoints of ``tokenservice.TokenService``: one function per grant."""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

from tests.support.tokenservice import (
    DEVICE_GRANT,
    JWT_BEARER,
    MS_APP,
    Refusal,
    TokenService,
    b64url,
    pkce_ok,
    redirect_with,
    verify_jwt,
)

Reply = tuple[int, dict[str, Any], dict[str, str]]


def route(
    svc: TokenService, method: str, path: str, query: dict[str, str], form: dict[str, str]
) -> Reply:
    if svc.state.fail_5xx > 0 and path.endswith("token"):
        svc.state.fail_5xx -= 1
        return 503, {"error": "temporarily_unavailable"}, {}
    if method == "POST" and path.startswith("/introspect/"):
        return 200, svc.introspect(form.get("token", ""), path.rsplit("/", 1)[1]), {}
    if method == "GET" and path == "/auth":
        return google_consent(svc, query)
    if method == "POST" and path == "/token":
        return 200, google_token(svc, form), {}
    parts = path.strip("/").split("/")
    if len(parts) >= 2:
        tenant, rest = parts[0], "/".join(parts[1:])
        if method == "GET" and rest == "v2.0/.well-known/openid-configuration":
            return 200, ms_openid(svc, tenant), {}
        if method == "POST" and rest == "oauth2/v2.0/devicecode":
            return 200, ms_devicecode(svc, tenant, form), {}
        if method == "POST" and rest == "oauth2/v2.0/token":
            return 200, ms_token(svc, tenant, form), {}
    return 404, {"error": "not_found"}, {}


# ---------------------------------------------------------------- Google ---


def google_consent(svc: TokenService, q: dict[str, str]) -> Reply:
    if q.get("client_id") not in svc.state.google_clients:
        raise Refusal(401, "invalid_client", "The OAuth client was not found.")
    if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
        raise Refusal(400, "invalid_request", "PKCE S256 required")
    code = "code-" + secrets.token_urlsafe(16)
    svc.state.codes[code] = {
        "client_id": q["client_id"],
        "redirect_uri": q.get("redirect_uri", ""),
        "challenge": q["code_challenge"],
        "user": svc.state.consent_user,
        "scope": svc.state.consent_scope,
    }
    target = redirect_with(q.get("redirect_uri", ""), code=code, state=q.get("state", ""))
    return 302, {}, {"Location": target}


def google_token(svc: TokenService, f: dict[str, str]) -> dict[str, Any]:
    grant = f.get("grant_type", "")
    if grant == JWT_BEARER:
        return _google_service_account(svc, f)
    if f.get("client_id") not in svc.state.google_clients or svc.state.google_clients[
        f["client_id"]
    ] != f.get("client_secret"):
        raise Refusal(401, "invalid_client", "Unauthorized")
    if grant == "refresh_token":
        held = svc.state.grants.get(f.get("refresh_token", ""))
        if held is None or held.revoked or held.client_id != f["client_id"]:
            raise Refusal(400, "invalid_grant", "Token has been expired or revoked.")
        token, lifetime = svc.issue(held.user, held.scopes, "refresh_token")
        return {
            "access_token": token,
            "expires_in": lifetime,
            "token_type": "Bearer",
            "scope": " ".join(sorted(held.scopes)),
        }
    if grant == "authorization_code":
        code = svc.state.codes.pop(f.get("code", ""), None)
        if code is None or code["client_id"] != f["client_id"]:
            raise Refusal(400, "invalid_grant", "Malformed auth code.")
        if code["redirect_uri"] != f.get("redirect_uri"):
            raise Refusal(400, "redirect_uri_mismatch", "Bad Request")
        if not pkce_ok(f.get("code_verifier", ""), code["challenge"]):
            raise Refusal(400, "invalid_grant", "Invalid code verifier.")
        scopes = frozenset(code["scope"].split())
        token, lifetime = svc.issue(code["user"], scopes, "authorization_code")
        return {
            "access_token": token,
            "expires_in": lifetime,
            "token_type": "Bearer",
            "scope": code["scope"],
            "refresh_token": svc.grant(code["user"], scopes, f["client_id"]),
        }
    raise Refusal(400, "unsupported_grant_type", grant)


def _google_service_account(svc: TokenService, f: dict[str, str]) -> dict[str, Any]:
    assertion = f.get("assertion", "")
    try:
        unverified = json.loads(_part(assertion, 1))
    except ValueError as exc:
        raise Refusal(400, "invalid_grant", "Invalid JWT.") from exc
    account = svc.state.service_accounts.get(str(unverified.get("iss", "")))
    if account is None:
        raise Refusal(400, "invalid_grant", "Invalid grant: account not found")
    public_key, delegated = account
    claims = verify_jwt(assertion, public_key)
    # google-auth always names Google's endpoint as the audience, whatever token_uri says.
    if claims.get("aud") not in (f"{svc.base}/token", "https://oauth2.googleapis.com/token"):
        raise Refusal(400, "invalid_grant", "Invalid JWT: bad audience")
    scopes = frozenset(str(claims.get("scope", "")).split())
    user = str(claims.get("sub", ""))
    if not user or not scopes or not scopes <= delegated:
        raise Refusal(
            401,
            "unauthorized_client",
            "Client is unauthorized to retrieve access tokens using this method, or client "
            "not authorized for any of the scopes requested.",
        )
    token, lifetime = svc.issue(user, scopes, "jwt-bearer")
    return {"access_token": token, "expires_in": lifetime, "token_type": "Bearer"}


def _part(jwt: str, index: int) -> bytes:
    import base64

    piece = jwt.split(".")[index]
    return base64.urlsafe_b64decode(piece + "=" * (-len(piece) % 4))


# ------------------------------------------------------------- Microsoft ---


def ms_openid(svc: TokenService, tenant: str) -> dict[str, Any]:
    root = f"{svc.base}/{tenant}"
    return {
        "issuer": f"{root}/v2.0",
        "authorization_endpoint": f"{root}/oauth2/v2.0/authorize",
        "token_endpoint": f"{root}/oauth2/v2.0/token",
        "device_authorization_endpoint": f"{root}/oauth2/v2.0/devicecode",
    }


def ms_devicecode(svc: TokenService, tenant: str, f: dict[str, str]) -> dict[str, Any]:
    if f.get("client_id") not in svc.state.ms_apps:
        raise Refusal(400, "unauthorized_client", "AADSTS700016: Application not found.")
    device = "dev-" + secrets.token_urlsafe(16)
    user_code = secrets.token_hex(4).upper()
    svc.state.devices[device] = {
        "client_id": f["client_id"],
        "scopes": frozenset(s for s in f.get("scope", "").split() if s.startswith("https://")),
        "polls": 0,
    }
    page = f"{svc.base}/devicelogin"
    return {
        "device_code": device,
        "user_code": user_code,
        "verification_uri": page,
        "expires_in": 900,
        "interval": 1,
        "message": f"To sign in, use a web browser to open the page {page} and enter the "
        f"code {user_code} to authenticate.",
    }


def ms_token(svc: TokenService, tenant: str, f: dict[str, str]) -> dict[str, Any]:
    grant = f.get("grant_type", "")
    app = svc.state.ms_apps.get(f.get("client_id", ""))
    if app is None:
        raise Refusal(400, "unauthorized_client", "AADSTS700016: Application not found.")
    if grant == "client_credentials":
        _ms_client_auth(svc, tenant, app, f)
        if f.get("scope") != MS_APP:
            raise Refusal(
                400,
                "invalid_scope",
                "AADSTS1002012: The provided value for scope "
                "is not valid. Client credential flows must have a scope value "
                "with /.default suffixed to the resource identifier.",
            )
        if not app.roles:
            raise Refusal(400, "invalid_grant", "AADSTS7000112: no application permission.")
        token, lifetime = svc.issue(app.mailbox, frozenset({MS_APP}), "client_credentials")
        return {"access_token": token, "expires_in": lifetime, "token_type": "Bearer"}
    if grant == DEVICE_GRANT:
        device = svc.state.devices.get(f.get("device_code", ""))
        if device is None:
            raise Refusal(400, "expired_token", "AADSTS70020: The provided value is expired.")
        device["polls"] += 1
        if device["polls"] == 1 or not svc.state.device_user:  # the user is still typing
            raise Refusal(400, "authorization_pending", "AADSTS70016: pending")
        svc.state.devices.pop(f["device_code"])
        return _ms_user_tokens(svc, tenant, app.client_id, svc.state.device_user, device["scopes"])
    if grant == "refresh_token":
        held = svc.state.grants.pop(f.get("refresh_token", ""), None)
        if held is None or held.revoked:
            raise Refusal(
                400,
                "invalid_grant",
                "AADSTS50173: The provided grant has expired "
                "due to it being revoked, a fresh auth token is needed.",
            )
        return _ms_user_tokens(svc, tenant, app.client_id, held.user, held.scopes)
    raise Refusal(400, "unsupported_grant_type", grant)


def _ms_client_auth(svc: TokenService, tenant: str, app: Any, f: dict[str, str]) -> None:
    if f.get("client_assertion"):
        if app.certificate is None:
            raise Refusal(401, "invalid_client", "AADSTS700027: no certificate registered.")
        claims = verify_jwt(f["client_assertion"], app.certificate.public_key())
        if claims.get("aud") != f"{svc.base}/{tenant}/oauth2/v2.0/token":
            raise Refusal(401, "invalid_client", "AADSTS700024: bad audience")
        if claims.get("iss") != app.client_id or claims.get("sub") != app.client_id:
            raise Refusal(401, "invalid_client", "AADSTS700023: bad issuer")
        return
    if app.secret_expired:
        raise Refusal(
            401,
            "invalid_client",
            "AADSTS7000222: The provided client secret "
            f"keys for app '{app.client_id}' are expired.",
            error_codes=[7000222],
        )
    if not app.secret or f.get("client_secret") != app.secret:
        raise Refusal(
            401,
            "invalid_client",
            "AADSTS7000215: Invalid client secret provided.",
            error_codes=[7000215],
        )


def _ms_user_tokens(
    svc: TokenService, tenant: str, client_id: str, user: str, scopes: frozenset[str]
) -> dict[str, Any]:
    token, lifetime = svc.issue(user, scopes, "ms-delegated")
    uid = b64url(user.encode())[:16]
    now = int(time.time())
    claims = {
        "aud": client_id,
        "iss": f"{svc.base}/{tenant}/v2.0",
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
        "preferred_username": user,
        "name": user,
        "oid": uid,
        "sub": uid,
        "tid": tenant,
        "ver": "2.0",
    }
    id_token = ".".join(
        [b64url(b'{"alg":"none","typ":"JWT"}'), b64url(json.dumps(claims).encode()), ""]
    )
    return {
        "token_type": "Bearer",
        "scope": " ".join(sorted(scopes)),
        "expires_in": lifetime,
        "ext_expires_in": lifetime,
        "access_token": token,
        "refresh_token": svc.grant(user, scopes, client_id),
        "id_token": id_token,
        "client_info": b64url(json.dumps({"uid": uid, "utid": tenant}).encode()),
    }
