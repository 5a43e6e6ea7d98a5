"""The line patterns that mark where a sender's own text ends.

Kept apart from the splitting logic in ``automation.mail.new_text`` so the phrase
tables (per client style and language) can grow without touching the
algorithm.  Every pattern is matched against one line, or a few physical lines
joined with spaces (clients wrap long attribution lines), with leading and
trailing whitespace removed.  All are anchored and bounded (``.{0,N}``), so a
hostile 500 KB line costs linear time.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

# "On <date>, <name> wrote:" and its translations (Gmail, Apple Mail,
# Thunderbird).  Strong: a line like this only ever introduces quoted history.
ATTRIBUTION = [
    re.compile(p, _I)
    for p in (
        r"^on\b.{1,250}\bwrote\s*:$",  # en (Gmail, Apple Mail "On ... at ..., X wrote:")
        r"^am\b.{1,250}\bschrieb\b.{0,250}:$",  # de
        r"^le\b.{1,250}\ba [ée]crit\s*:$",  # fr
        r"^el\b.{1,250}\bescribi[óo]\s*:$",  # es
        r"^il\b.{1,250}\bha scritto\s*:$",  # it
        r"^op\b.{1,250}\bschreef\b.{0,250}:$",  # nl
        r"^(em|no dia)\b.{1,250}\bescreveu\s*:$",  # pt
        r"^den\b.{1,250}\bskrev\b.{0,250}:$",  # sv / da / no
        r"^w dniu\b.{1,250}\bnapisa[łl]\w*\s*:$",  # pl
        r"^.{1,250}に.{0,250}が書きました\s*[:：]$",  # ja (Gmail)
        r"^.{1,250}のメッセージ\s*[:：]$",  # ja (Apple Mail)
        r"^\d{4}年\d{1,2}月\d{1,2}日.{0,250}<[^<>@\s]+@[^<>\s]+>\s*[:：]$",  # ja date form
        r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}.{0,250}<[^<>@\s]+@[^<>\s]+>\s*:$",  # ISO-dated
    )
]

# "<name> wrote:" without a date: only trusted when quoted lines follow.
WEAK_ATTRIBUTION = re.compile(
    r"^.{1,200}\b(wrote|writes|schrieb|a [ée]crit|escribi[óo]|ha scritto|schreef|escreveu)\s*:$",
    _I,
)

_ORIGINAL = (
    r"original message|ursprüngliche nachricht|originalnachricht|message d'origine"
    r"|mensaje original|messaggio originale|oorspronkelijk bericht|origineel bericht"
    r"|mensagem original|元のメッセージ|originalmeddelande|wiadomość oryginalna"
)
_FORWARDED = (
    r"forwarded message|forwarded e-?mail|weitergeleitete nachricht|message transf[ée]r[ée]"
    r"|mensaje reenviado|messaggio inoltrato|doorgestuurd bericht|mensagem encaminhada"
    r"|mensagem reencaminhada|転送されたメッセージ|vidarebefordrat meddelande"
)

# Outlook / Thunderbird separators and forward markers.
SEPARATOR = re.compile(rf"^-{{2,}}\s*({_ORIGINAL})\s*-{{2,}}$", _I)
FORWARD = [
    re.compile(rf"^-{{2,}}\s*({_FORWARDED})\s*-{{2,}}$", _I),
    re.compile(
        r"^(begin forwarded message|anfang der weitergeleiteten nachricht"
        r"|d[ée]but du message (r[ée]exp[ée]di[ée]|r[ée]envoy[ée]|transf[ée]r[ée])"
        r"|inicio del mensaje reenviado|inizio messaggio inoltrato|begin doorgestuurd bericht"
        r"|in[íi]cio da mensagem (reencaminhada|encaminhada)|転送メッセージ)\s*[:：]?$",
        _I,
    ),
]

# The header block Outlook (and many webmails) put above unprefixed history.
_FROM_KEYS = r"from|von|de|da|van|fr[åa]n|fra|od|差出人|发件人|寄件者|от"
_OTHER_KEYS = (
    r"sent|date|to|cc|subject|gesendet|datum|an|betreff|envoy[ée]|[àa]|objet|enviado|enviada"
    r"|fecha|para|asunto|inviato|data|oggetto|verzonden|aan|onderwerp|assunto|skickat|till"
    r"|[äa]mne|sendt|emne|wys[łl]ano|temat|送信日時|宛先|件名|日付|发送时间|收件人|主题"
)
HEADER_FROM = re.compile(rf"^\*?({_FROM_KEYS})\s*\*?\s*[:：]", _I)
HEADER_OTHER = re.compile(rf"^\*?({_OTHER_KEYS})\s*\*?\s*[:：]", _I)
# The same block flattened into one line by an HTML-to-text conversion.
HEADER_ONE_LINE = re.compile(
    rf"^\*?({_FROM_KEYS})\s*[:：].{{1,300}}\b(sent|gesendet|envoy[ée]|enviado|inviato|verzonden"
    rf"|date|datum|fecha|data|送信日時)\s*[:：].{{1,300}}\b(to|an|[àa]|para|aan|subject|betreff"
    rf"|objet|asunto|oggetto|onderwerp|assunto|宛先|件名)\s*[:：]",
    _I,
)
RULE_LINE = re.compile(r"^[_\-=*]{8,}$")

# Sent-from-my-phone lines: a signature, everything after is not new text.
MOBILE = re.compile(
    r"^(sent from my [\w .-]{1,30}|sent from (outlook|mail|yahoo mail)( for [\w ]{1,20})?"
    r"|get outlook for (ios|android)|sent from mail for windows( \d+)?"
    r"|von meinem [\w .-]{1,30} gesendet|gesendet von meinem [\w .-]{1,30}"
    r"|envoy[ée] de mon [\w .-]{1,30}|enviado desde mi [\w .-]{1,30}"
    r"|enviado do meu [\w .-]{1,30}|inviato da(l mio)? [\w .-]{1,30}"
    r"|verzonden (vanaf|met) mijn [\w .-]{1,30}|verstuurd (vanaf|met) mijn [\w .-]{1,30}"
    r"|iphoneから送信|android(携帯)?から送信)\.?$",
    _I,
)

# First words of a legal disclaimer paragraph, matched on the paragraph's first
# few hundred characters with its lines joined.
DISCLAIMER = [
    re.compile(p, _I)
    for p in (
        r"^\W{0,3}(confidentiality( notice| statement| note)?|disclaimer|legal notice"
        r"|privileged (and|&) confidential|important notice"
        r"|vertraulichkeitshinweis|haftungsausschluss|rechtlicher hinweis|avertissement"
        r"|avis de confidentialit[ée]|aviso legal|aviso de confidencialidad"
        r"|avviso di riservatezza|aviso de confidencialidade|vertrouwelijkheid)\W{0,3}(:|$|\s)",
        r"^(this|the) (e-?mail|message|communication|transmission)\b.{0,120}"
        r"(confidential|privileged|intended (solely|only|exclusively))",
        r"^the (information|content)s? (contained )?in this (e-?mail|message|communication)",
        r"^if you (are not|have received this).{0,60}(intended recipient|in error)",
        r"^(diese|dieser) (e-?mail|nachricht).{0,160}(vertraulich|rechtlich gesch[üu]tzt)",
        r"^(ce|le pr[ée]sent) (message|courriel|e-?mail).{0,160}(confidenti|destinataire)",
        r"^(este|el presente) (mensaje|correo).{0,160}(confidencial|destinatario)",
        r"^(questo|il presente) messaggio.{0,160}(riservat|confidenzial|destinatari)",
        r"^(questa|la presente) (e-?mail|comunicazione).{0,160}(riservat|confidenzial)",
        r"^(dit|deze) (e-?mail|bericht|e-?mailbericht).{0,160}(vertrouwelijk|geadresseerde)",
        r"^(esta mensagem|este e-?mail).{0,160}(confidencia|destinat[áa]rio)",
        r"^(本メール|このメール|本電子メール).{0,120}(機密|秘密|宛先)",
    )
]

# A disclaimer heading ("DISCLAIMER:") only counts when legal wording follows,
# so "Disclaimer: I'm no expert, but..." stays the customer's text.
LEGAL_WORDS = re.compile(
    r"confidential|privileged|intended recipient|addressee|liabilit|virus|vertraulich"
    r"|empf[äa]nger|confidenti|destinatai?r|riservat|vertrouwelijk|geadresseerde|機密|秘密",
    _I,
)

# "This email came from outside the organisation" banners at the top: removed,
# but they do not end the sender's text.
BANNER = re.compile(
    r"^\W{0,3}(caution|warning|external( email| sender)?|attention)\b\W{0,3}.{0,160}"
    r"\b(outside|external)\b",
    _I,
)
