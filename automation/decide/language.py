"""Which language the sender wrote in, by counting common function words.

Deliberately simple and explainable ("12 German function words against 3
English ones"), deterministic, and offline.  Short or mixed texts fall back to
the business's main language rather than guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the and is are was were you your we our this that with for have has not "
        "please thanks thank would could can will it of to in on my me an be".split()
    ),
    "de": frozenset(
        "der die das und ist sind wir ich sie nicht mit für ein eine einen bitte "
        "danke haben hat wurde von zu auf noch auch bei uns unser unsere mein dem den".split()
    ),
    "nl": frozenset(
        "de het een en is zijn wij we ik niet met voor van op ons onze mijn graag "
        "bedankt hebben heeft nog ook bij dat deze wordt naar jullie u".split()
    ),
    "es": frozenset(
        "el la los las y es son nosotros yo no con para por un una gracias tenemos "
        "hemos del que de en nuestro nuestra mi pero muy está esta".split()
    ),
    "it": frozenset(
        "il lo la gli le e è sono noi io non con per un una grazie abbiamo del che "
        "di in nostro nostra mio ma molto questo questa della alla".split()
    ),
    "pt": frozenset(
        "o a os as e é são nós eu não com para por um uma obrigado obrigada temos "
        "do da que de em nosso nossa meu mas muito está isso".split()
    ),
    "fr": frozenset(
        "le la les et est sont nous je ne pas avec pour un une merci avons du que "
        "de en notre mon mais très cette ce vous votre".split()
    ),
}
NAMES = {
    "en": "English",
    "de": "German",
    "nl": "Dutch",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "fr": "French",
}
_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class LanguageGuess:
    code: str
    why: str


def detect_language(text: str, fallback: str) -> LanguageGuess:
    """The language with the most function words, if clearly ahead; else ``fallback``."""
    tokens = [t.casefold() for t in _TOKEN.findall(text)[:400]]
    scores = {code: sum(1 for t in tokens if t in words) for code, words in _WORDS.items()}
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0] != fallback))
    best, best_score = ranked[0]
    runner = ranked[1][1]
    if best_score < 3 or best_score < runner * 1.3:
        return LanguageGuess(
            fallback, f"language {fallback} (main language; text too short or mixed to tell)"
        )
    name = NAMES.get(best, best)
    return LanguageGuess(best, f"language {best} ({best_score} {name} function words)")
