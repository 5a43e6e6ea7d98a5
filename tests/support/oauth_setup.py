"""Accounts at the test token service for each token source, and their files.

Keys and certificates are made at run time; nothing secret is in the repository.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.tokenservice import GOOGLE_MAIL, MsApp, TokenService, rsa_key, self_signed

SA_EMAIL = "sheetdesk@test-project.iam.gserviceaccount.com"
SA_CLIENT_ID = "104242424242424242424"
GOOGLE_CLIENT_ID = "777-test.apps.googleusercontent.com"
GOOGLE_CLIENT_SECRET = "GOCSPX-test-client-" + "secret"
TENANT = "contoso-tenant"
MS_APP_ID = "11111111-2222-3333-4444-555555555555"
MS_SECRET = "ms-app-" + "secret-value-1"
MS_SECRET_ENV = "SHEETDESK_TEST_MS_SECRET"


def service_account(svc: TokenService, folder: Path, delegated: bool = True) -> Path:
    """A service-account key file whose token_uri is the test service."""
    pem, public = rsa_key()
    svc.add_service_account(SA_EMAIL, public, {GOOGLE_MAIL} if delegated else set())
    info = {
        "type": "service_account",
        "project_id": "test-project",
        "private_key_id": "k1",
        "private_key": pem,
        "client_email": SA_EMAIL,
        "client_id": SA_CLIENT_ID,
        "token_uri": f"{svc.base}/token",
    }
    path = folder / "service-account.json"
    path.write_text(json.dumps(info))
    return path


def google_client(svc: TokenService, folder: Path) -> Path:
    """The owner's Desktop-app OAuth client JSON, pointing at the test service."""
    svc.add_google_client(GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET)
    info = {
        "installed": {
            "client_id": GOOGLE_CLIENT_ID,
            "client_secret": GOOGLE_CLIENT_SECRET,
            "auth_uri": f"{svc.base}/auth",
            "token_uri": f"{svc.base}/token",
            "redirect_uris": ["http://localhost"],
        }
    }
    path = folder / "client.json"
    path.write_text(json.dumps(info))
    return path


def ms_app(svc: TokenService, mailbox: str, folder: Path | None = None) -> MsApp:
    """An app registration with a secret (and a certificate, written to
    ``folder/app.pem``, when a folder is given) allowed to open ``mailbox``."""
    app = MsApp(client_id=MS_APP_ID, secret=MS_SECRET, mailbox=mailbox)
    if folder is not None:
        key_pem, cert_pem, cert = self_signed("sheetdesk test app")
        app.certificate = cert
        (folder / "app.pem").write_text(key_pem + cert_pem)
    svc.add_ms_app(app)
    return app
