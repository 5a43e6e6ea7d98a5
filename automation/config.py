"""Configuration: TOML read once into frozen dataclasses.

Unknown keys and wrong types are errors naming the key (``outbox.port: expected
an integer, got 'abc'``).  Secrets are never values in the file: a section names
an environment variable (``password_env``) or a file (``password_file``), and
``automation.secrets`` resolves them when an adapter connects.
"""

from __future__ import annotations

import tomllib
import types
import typing
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args, get_origin

from automation.errors import ConfigError

Security = Literal["tls", "starttls", "plain"]
Auth = Literal["password", "oauth2"]  # how a mail server is signed in to


@dataclass(frozen=True)
class ImapConfig:
    host: str = ""
    port: int = 993
    security: Security = "tls"
    allow_plaintext_loopback: bool = False
    ca_file: str = ""  # extra CA bundle (a self-signed test server, a company CA)
    username: str = ""
    auth: Auth = "password"  # "oauth2": a token from the [oauth2] section, not a password
    password_env: str = ""
    password_file: str = ""
    folder: str = "INBOX"
    processed_folder: str = "sheetdesk/processed"
    sent_folder: str = ""  # where the SMTP server files our copies (checked before a resend)
    fetch_chunk: int = 50
    timeout_seconds: float = 30.0


@dataclass(frozen=True)
class MaildirConfig:
    path: str = "mail"


@dataclass(frozen=True)
class InboxConfig:
    kind: Literal["imap", "maildir"] = "maildir"
    imap: ImapConfig = field(default_factory=ImapConfig)
    maildir: MaildirConfig = field(default_factory=MaildirConfig)


@dataclass(frozen=True)
class SmtpConfig:
    host: str = ""
    port: int = 465
    security: Security = "tls"
    allow_plaintext_loopback: bool = False
    ca_file: str = ""
    username: str = ""
    auth: Auth = "password"  # "oauth2": a token from the [oauth2] section, not a password
    password_env: str = ""
    password_file: str = ""
    timeout_seconds: float = 30.0


@dataclass(frozen=True)
class FilesOutboxConfig:
    path: str = "outbox"


@dataclass(frozen=True)
class OutboxConfig:
    kind: Literal["smtp", "files"] = "files"
    smtp: SmtpConfig = field(default_factory=SmtpConfig)
    files: FilesOutboxConfig = field(default_factory=FilesOutboxConfig)


@dataclass(frozen=True)
class SheetsConfig:
    spreadsheet: str = ""  # key or full URL
    credentials_file: str = ""  # service-account JSON; scope "spreadsheets" only
    api_root: str = ""  # override (or SHEETDESK_SHEETS_API_ROOT) for a local stand-in
    retry_deadline_seconds: float = 45.0
    retry_cap_seconds: float = 16.0


@dataclass(frozen=True)
class WorkbookConfig:
    path: str = "sheetdesk.xlsx"


@dataclass(frozen=True)
class StoreConfig:
    kind: Literal["sheets", "workbook"] = "workbook"
    sheets: SheetsConfig = field(default_factory=SheetsConfig)
    workbook: WorkbookConfig = field(default_factory=WorkbookConfig)


@dataclass(frozen=True)
class BusinessConfig:
    name: str = "Our Company"
    support_address: str = "support@example.com"
    display_name: str = "Support"
    signature: str = "The support team"
    own_addresses: tuple[str, ...] = ()
    own_domains: tuple[str, ...] = ()
    case_tag: str = "[Case #{number}]"
    first_case_number: int = 1000
    case_id_prefix: str = "C-"
    message_id_domain: str = ""  # defaults to the support address's domain
    time_zone: str = "UTC"
    sheet_url: str = ""  # shown in internal emails as the link to the row


@dataclass(frozen=True)
class PollConfig:
    interval_seconds: int = 120
    max_messages_per_cycle: int = 500
    state_dir: str = "state"
    ack_limit_per_sender: int = 3
    ack_window_minutes: int = 60
    max_message_bytes: int = 26_214_400
    # Issue 11: whose Authentication-Results to trust (else only the topmost header),
    # and whether a colleague at the customer's domain may join the customer's case.
    authserv_ids: tuple[str, ...] = ()
    thread_same_domain: bool = False
    message_seconds: float = 20.0  # one message's intake may take this long, else quarantined


@dataclass(frozen=True)
class LifecycleConfig:
    """The case lifecycle and response clocks (``automation.lifecycle``)."""

    close_after_days: int = 7  # a resolved case with no customer reply is closed after this
    warn_at_share: float = 0.75  # warn assignee + backup when this share of a target is used
    still_on_it_updates: bool = True  # an update is overdue: also tell the customer we're on it
    metrics_every_minutes: int = 60  # how often the Metrics tab is recomputed
    review_weekday: str = "Mon"  # the weekly review email goes out on this day ...
    review_hour: int = 9  # ... from this hour (business time zone)
    review_to: tuple[str, ...] = ()  # owners' addresses; empty = every tier-3 person's email


@dataclass(frozen=True)
class TemplatesConfig:
    path: str = ""  # owner overrides; files here win over the built-in templates


@dataclass(frozen=True)
class OAuth2Config:
    """Where access tokens come from for servers with ``auth = "oauth2"``.

    The mailbox signed in to is each server's ``username``.  Sources:
    ``google_service_account`` (domain-wide delegation, no user step),
    ``google_refresh_token`` (``sheetdesk auth google`` once), ``microsoft_app``
    (client credentials: a secret or a certificate) and ``microsoft_device``
    (``sheetdesk auth microsoft`` once).  See ``automation.adapters.oauth``.
    """

    source: Literal[
        "google_service_account", "google_refresh_token", "microsoft_app", "microsoft_device"
    ] = "google_service_account"
    mechanism: Literal["auto", "xoauth2", "oauthbearer"] = "auto"
    credentials_file: str = ""  # service-account JSON; empty = store.sheets.credentials_file
    client_file: str = ""  # Google: the OAuth client JSON of a "Desktop app" client
    token_file: str = ""  # refresh token / msal cache (0600); empty = <state_dir>/oauth-token.json
    tenant: str = ""  # Microsoft: directory (tenant) ID or primary domain
    client_id: str = ""  # Microsoft: application (client) ID
    client_secret_env: str = ""  # Microsoft app-only: the client secret ...
    client_secret_file: str = ""
    certificate_file: str = ""  # ... or a PEM with the private key and its certificate
    authority: str = ""  # Microsoft: default https://login.microsoftonline.com
    ca_file: str = ""  # extra CA for the token endpoints (a company proxy, the tests)
    refresh_margin_seconds: int = 300  # refresh a token this long before it expires
    timeout_seconds: float = 30.0


@dataclass(frozen=True)
class Config:
    inbox: InboxConfig = field(default_factory=InboxConfig)
    outbox: OutboxConfig = field(default_factory=OutboxConfig)
    store: StoreConfig = field(default_factory=StoreConfig)
    business: BusinessConfig = field(default_factory=BusinessConfig)
    poll: PollConfig = field(default_factory=PollConfig)
    templates: TemplatesConfig = field(default_factory=TemplatesConfig)
    lifecycle: LifecycleConfig = field(default_factory=LifecycleConfig)
    oauth2: OAuth2Config = field(default_factory=OAuth2Config)
    base_dir: str = "."  # relative paths resolve against the config file's folder

    def path(self, value: str) -> Path:
        """A configured path, resolved against the config file's folder."""
        p = Path(value).expanduser()
        return p if p.is_absolute() else Path(self.base_dir) / p

    @property
    def own_addresses(self) -> frozenset[str]:
        found = {self.business.support_address.lower()}
        found.update(a.lower() for a in self.business.own_addresses)
        return frozenset(found)

    @property
    def message_id_domain(self) -> str:
        return self.business.message_id_domain or self.business.support_address.rpartition("@")[2]


T = TypeVar("T")


def _convert(value: Any, hint: Any, key: str) -> Any:
    origin = get_origin(hint)
    if is_dataclass(hint) and isinstance(hint, type):
        if not isinstance(value, dict):
            raise ConfigError(f"{key}: expected a table, got {type(value).__name__}")
        return _build(hint, value, key)
    if origin is Literal:
        allowed = get_args(hint)
        if value not in allowed:
            choices = ", ".join(repr(a) for a in allowed)
            raise ConfigError(f"{key}: expected one of {choices}, got {value!r}")
        return value
    if origin is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{key}: expected a list of strings")
        return tuple(value)
    if origin in (typing.Union, types.UnionType):
        raise ConfigError(f"{key}: unsupported type")  # not used in the schema
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{key}: expected true or false, got {value!r}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{key}: expected an integer, got {value!r}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{key}: expected a number, got {value!r}")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{key}: expected a string, got {value!r}")
        return value
    raise ConfigError(f"{key}: unsupported type {hint!r}")


def _build(cls: type[T], data: dict[str, Any], prefix: str) -> T:
    hints = typing.get_type_hints(cls)
    known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    for name in data:
        if name not in known:
            where = f"{prefix}.{name}" if prefix else name
            raise ConfigError(f"{where}: unknown key")
    kwargs: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name in data:
            kwargs[f.name] = _convert(data[f.name], hints[f.name], f"{prefix}.{f.name}".lstrip("."))
        elif f.default is MISSING and f.default_factory is MISSING:
            raise ConfigError(f"{prefix}.{f.name}: required")
    return cls(**kwargs)


def from_dict(data: dict[str, Any], base_dir: str = ".") -> Config:
    """Build a Config from parsed TOML; ``base_dir`` anchors relative paths."""
    if "base_dir" in data:
        raise ConfigError("base_dir: unknown key")
    config = _build(Config, dict(data), "")
    _check_business(config.business)
    return _replace_base(config, base_dir)


def _check_business(business: Any) -> None:
    """Values a cycle would trip over later, refused when the config is read, so
    ``check`` and ``poll`` say the same words before any mail is touched."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from automation.outgoing.compose import usable_address

    try:
        ZoneInfo(business.time_zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"business.time_zone: {business.time_zone!r} is not a time zone "
            "(use a name like Europe/London or America/Denver)"
        ) from exc
    try:
        tag_ok = "{number}" in business.case_tag and bool(business.case_tag.format(number=1))
    except (KeyError, IndexError, ValueError):
        tag_ok = False
    if not tag_ok:
        raise ConfigError(
            f"business.case_tag: {business.case_tag!r} must contain {{number}} and nothing "
            'else in braces, like "[Case #{number}]"'
        )
    if not usable_address(business.support_address):
        raise ConfigError(
            f"business.support_address: {business.support_address!r} is not an email "
            "address sheetdesk can send from (like support@yourshop.com)"
        )


def _replace_base(config: Config, base_dir: str) -> Config:
    from dataclasses import replace

    return replace(config, base_dir=base_dir)


def load(path: str | Path) -> Config:
    """Read and validate the TOML file at ``path``."""
    p = Path(path)
    try:
        text = p.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read ({exc.strerror})") from exc
    try:
        data = tomllib.loads(text.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: not valid TOML ({exc})") from exc
    return from_dict(data, base_dir=str(p.resolve().parent))
