"""OAuth2 sign-in for the mail servers: where access tokens come from.

* ``refresh.RefreshAhead``: the ``TokenSource`` the IMAP and SMTP adapters use;
  it keeps one token per mailbox and asks its source again a margin before the
  token expires, so a token never runs out in the middle of a session.
* Sources (one per module): ``google_service`` (a service account with
  domain-wide delegation), ``google_user`` (a refresh token from
  ``sheetdesk auth google``), ``microsoft`` (msal: client credentials, or the
  cache ``sheetdesk auth microsoft`` filled by the device-code flow);
  ``fixed`` is the embedded one for tests.
* ``google_consent`` and ``microsoft_consent``: the one-time consent flows.
* ``token_file``: 0600 files written atomically; ``sasl``: the XOAUTH2 and
  OAUTHBEARER initial responses; ``http``: the verifying HTTP session.

Every token and refresh token is wrapped in ``automation.secrets.Secret`` as
soon as it arrives, so it is scrubbed from logs, errors and ``check`` output.
"""
