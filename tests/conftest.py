"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator as _Iterator
from shutil import rmtree as _rmtree

import pytest

from tests.support import mailservers

# --- real mail servers (tests/mailservers.py): Dovecot, aiosmtpd, stubs -------
# Session-scoped servers, function-scoped users/servers so tests stay isolated.


@pytest.fixture(scope="session")
def test_pki() -> _Iterator[mailservers.TestPKI]:
    """A throwaway CA (``ca_file`` for clients) and a localhost server certificate."""
    directory = mailservers.make_private_dir("sheetdesk-pki-")
    yield mailservers.TestPKI.create(directory)
    _rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def _dovecots() -> _Iterator[list[mailservers.Dovecot]]:
    started: list[mailservers.Dovecot] = []
    yield started
    mailservers.stop_all(started)  # all at once: each master lingers ~2 s


@pytest.fixture(scope="session")
def dovecot(
    test_pki: mailservers.TestPKI, _dovecots: list[mailservers.Dovecot]
) -> mailservers.Dovecot:
    """A private Dovecot (2.3 or 2.4) with plain (loopback) and implicit-TLS listeners."""
    server = mailservers.Dovecot(test_pki)
    _dovecots.append(server)
    return server.start()


@pytest.fixture(scope="session")
def dovecot_nomove(
    test_pki: mailservers.TestPKI, _dovecots: list[mailservers.Dovecot]
) -> mailservers.Dovecot:
    """A second Dovecot that does not advertise MOVE."""
    server = mailservers.Dovecot(test_pki, capability=mailservers.CAPABILITIES_WITHOUT_MOVE)
    _dovecots.append(server)
    return server.start()


@pytest.fixture
def mail_user(dovecot: mailservers.Dovecot) -> mailservers.MailUser:
    """A fresh user (and so an empty mailbox) on the session Dovecot."""
    return dovecot.new_user()


@pytest.fixture
def smtp_server() -> _Iterator[mailservers.SmtpServer]:
    """aiosmtpd on loopback, plaintext, no AUTH; ``.faults`` injects failures."""
    server = mailservers.SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_factory(test_pki: mailservers.TestPKI) -> _Iterator[object]:
    """``smtp_factory(mode="starttls", auth=("u", "p"))`` -> a started SmtpServer."""
    servers: list[mailservers.SmtpServer] = []

    def make(**kwargs: object) -> mailservers.SmtpServer:
        server = mailservers.SmtpServer(test_pki, **kwargs)  # type: ignore[arg-type]
        servers.append(server)
        return server.start()

    yield make
    for server in servers:
        server.stop()


@pytest.fixture(autouse=True)
def _restore_root_logging() -> _Iterator[None]:
    """Tests that run ``cli.main`` in-process install its log handler on the root
    logger; put the root logger back so later tests' server logs stay quiet."""
    import logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


# --- OAuth2: our token service, and a Dovecot that asks it about tokens -------


@pytest.fixture(scope="session")
def token_service(test_pki: mailservers.TestPKI) -> _Iterator[object]:
    """``tests.support.tokenservice.TokenService`` on loopback (TLS + introspection)."""
    from tests.support.tokenservice import TokenService

    service = TokenService(test_pki).start()
    yield service
    service.stop()


@pytest.fixture(scope="session")
def dovecot_oauth(
    test_pki: mailservers.TestPKI, _dovecots: list[mailservers.Dovecot], token_service: object
) -> mailservers.Dovecot:
    """A Dovecot offering XOAUTH2 and OAUTHBEARER, checking tokens with ``token_service``."""
    url = token_service.introspect_base  # type: ignore[attr-defined]
    server = mailservers.Dovecot(test_pki, oauth2_url=url)
    _dovecots.append(server)
    return server.start()
