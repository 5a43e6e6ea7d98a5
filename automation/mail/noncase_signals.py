"""Phrase and header tables behind ``automation.mail.classify``.

Kept apart so the tables (languages, mail services) can grow without touching
the rules.  Subject patterns are anchored at the start, after any "Re:" /
"AW:" / "[tag]" prefixes, because these phrases open automatic subjects while
a customer may well write "out of office hours" mid-sentence.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

# Local parts of delivery-system senders.
DAEMON_LOCALPARTS = frozenset(
    {
        "mailer-daemon",
        "postmaster",
        "mail-daemon",
        "maildaemon",
        "mailerdaemon",
        "mail-delivery-subsystem",
        "mdaemon",
        "bounce",
        "bounces",
    }
)

BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered mail|delivery status notification|delivery (has )?failed"
    r"|delivery failure|failure notice|mail delivery (failed|failure|system)|returned mail"
    r"|returned to sender|non[- ]?delivery|could not be delivered|delivery problem"
    r"|unzustellbar|nicht zugestellt|non remis|non distribu|no se puede entregar|no entregado"
    r"|non recapitabile|mancata consegna|onbestelbaar|niet bezorgd|não entregue|配信不能|不達",
    _I,
)
BOUNCE_BODY = re.compile(
    r"could not be delivered|couldn't be delivered|delivery to the following recipient"
    r"|permanent(ly)? (error|fatal)|recipient address rejected|user unknown"
    r"|mailbox (unavailable|full|not found)|no such user|message was not delivered",
    _I,
)

_PREFIX = r"^\s*(?:(?:re|aw|antw|sv|vs|r|rif|res)\s*:\s*|\[[^\]]{0,40}\]\s*)*"
# Phrases that only automatic subjects start with.
_OOO_STRONG = (
    r"out of (the )?office(?!\s+hours)|automatic reply|auto[- ]?reply|auto[- ]?response"
    r"|autorespon\w*"
    r"|away from (the |my )?(office|desk|e-?mail)|abwesenheitsnotiz|automatische antwort"
    r"|nicht im b[üu]ro|absence du bureau|r[ée]ponse automatique|absent(e)? du bureau"
    r"|fuera de la oficina|respuesta autom[áa]tica|automatisch antwoord|niet aanwezig"
    r"|fuori sede|fuori ufficio|risposta automatica|resposta autom[áa]tica"
    r"|fora do escrit[óo]rio|自動応答|自動返信"
)
# Words a customer could also open a subject with: they count only when a
# separator, "until" or the end of the subject follows ("Afwezig: Re: ...").
_OOO_WEAK = (
    r"ooo|away|on vacation|on holiday|on (annual )?leave|abwesend|absent(e)?|ausente"
    r"|afwezig|assente|不在"
)
_AFTER_WEAK = r"(?=\s*([:\-–(|]|$)|\s+(until|till|bis|jusqu|hasta|fino|tot|até)\b)"
OOO_SUBJECT = re.compile(_PREFIX + rf"(?P<phrase>({_OOO_STRONG})|({_OOO_WEAK}){_AFTER_WEAK})", _I)
OOO_BODY = re.compile(
    r"out of (the )?office|on (annual )?leave|on vacation|on holiday"
    r"|limited access to (my )?e-?mail"
    r"|i am away|i'm away|i will be back|i'll be back|i am off until|i'm off until"
    r"|nicht im b[üu]ro|abwesend|absent du bureau|en vacances|fuera de la oficina|de vacaciones"
    r"|fuori sede|in ferie|afwezig|op vakantie|ausente|de f[ée]rias|不在",
    _I,
)

# Signs that staff mail carries someone else's message.
FORWARD_HINT = re.compile(
    r"^\s*(-{2,}\s*(forwarded message|original message|weitergeleitete nachricht"
    r"|message transf[ée]r[ée]|mensaje reenviado|messaggio inoltrato|doorgestuurd bericht"
    r"|mensagem encaminhada|ursprüngliche nachricht|message d'origine|mensaje original"
    r"|messaggio originale|oorspronkelijk bericht)\s*-{2,}|begin forwarded message\s*:?"
    r"|(from|von|de|da|van)\s*:.*@)",
    _I | re.MULTILINE,
)
FWD_SUBJECT = re.compile(r"^\s*(fwd?|wg|tr|rv|i|doorst|enc|fw)\s*:", _I)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# Headers that only bulk-mail services add (lower-case names or prefixes).
ESP_HEADERS = frozenset(
    {
        "x-campaign",
        "x-campaignid",
        "x-campaign-id",
        "x-mailchimp-campaign",
        "x-mc-user",
        "x-sg-eid",
        "x-sg-id",
        "x-sfmc-stack",
        "x-mailgun-campaign-id",
        "x-mailgun-tag",
        "x-ems-mailid",
        "x-marketo-mkto",
        "x-mkto-tracking",
        "x-hubspot-message-id",
        "x-klaviyo-message-id",
        "x-sib-id",
        "x-mailjet-campaign",
        "x-cmae-virus",
        "x-newsletter",
        "x-mailer-recptid",
        "x-report-abuse",
        "x-csa-complaints",
        "feedback-id",
        "x-ymlp-id",
    }
)
ESP_HEADER_PREFIXES = (
    "x-mc-",
    "x-mailchimp-",
    "x-sg-",
    "x-campaign",
    "x-sendinblue",
    "x-mailjet",
    "x-klaviyo",
    "x-hs-",
    "x-marketo",
    "x-mktg",
)
BULK_LOCALPART = re.compile(
    r"^(no-?reply|do-?not-?reply|donotreply|news(letter)?s?|marketing|promo(tions)?|offers"
    r"|deals|mailer|campaigns?|updates|bulletin|announce(ments)?|info-?mail)([._+-].*)?$",
    _I,
)

# Footer wording of marketing mail (not of discussion-list footers, which say
# "unsubscribe" too and so are not matched here).
MARKETING_BODY = re.compile(
    r"view (this (e-?mail|message) )?(in|on) (your |a )?(web )?browser|manage (your )?"
    r"(e-?mail |subscription |communication )?preferences|update your (e-?mail )?preferences"
    r"|e-?mail preferences|you are receiving this (e-?mail|newsletter)|newsletter abbestellen"
    r"|se d[ée]sinscrire|se d[ée]sabonner|darse de baja|cancelar (la )?suscripci[óo]n"
    r"|annulla (l'|la )?iscrizione|uitschrijven|afmelden|cancelar (a )?inscri[çc][ãa]o",
    _I,
)
