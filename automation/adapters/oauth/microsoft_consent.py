"""``sheetdesk auth microsoft``: the device-code flow, once.

msal asks Microsoft for a device code; the user opens the page shown, types the
code and signs in as the support mailbox's user; msal polls until that is done.
The token cache (refresh token included) is written to ``oauth2.token_file``
(0600) for ``microsoft_device`` to use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

from automation.adapters.oauth import token_file
from automation.adapters.oauth.microsoft import USER_SCOPES, MicrosoftTokens
from automation.errors import TokenError, TokenServiceError
from automation.secrets import scrub


def consent(tokens: MicrosoftTokens, user: str, show: Callable[[str], None]) -> str:
    """Sign ``user`` in; return the account msal recorded.  ``show`` gets msal's
    instruction (the URL and the code)."""
    assert tokens.cache_path is not None, "the device flow needs oauth2.token_file"
    try:
        app: Any = tokens.app()
        flow = app.initiate_device_flow(scopes=list(USER_SCOPES))
        if "user_code" not in flow:
            raise TokenError(
                f"Microsoft refused to start the sign-in ({scrub(str(flow.get('error')))}); "
                "in the app registration, turn on 'Allow public client flows'"
            )
        show(str(flow.get("message", "")))
        result = app.acquire_token_by_device_flow(flow)
    except requests.RequestException as exc:
        raise TokenServiceError(f"Microsoft's sign-in service is unreachable ({exc})") from exc
    if "access_token" not in result:
        error = scrub(str(result.get("error", "unknown")))
        raise TokenError(f"the sign-in did not finish ({error}); run `sheetdesk auth microsoft`")
    claims = result.get("id_token_claims") or {}
    account = str(claims.get("preferred_username", ""))
    if account and account.lower() != user.lower():
        raise TokenError(
            f"signed in as {account}, but the mailbox is {user}; run `sheetdesk auth microsoft` "
            f"again and sign in as {user}"
        )
    token_file.write_private(tokens.cache_path, tokens.cache_text())
    return account or user
