"""Which language the sender wrote in: by script for Japanese, Chinese and
Korean, else by counting common function words.

Deliberately simple and explainable ("12 German function words against 3
English ones", "41 kana characters"), deterministic, offline, and cheap: one
pass over at most the first 400 words.  Kana means Japanese (Japanese mixes
kana with Han characters), Hangul means Korean, Han characters alone mean
Chinese.  Short or mixed texts fall back to the business's main language rather
than guessing.
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
    "tl": frozenset(
        "ang ng mga sa po ko ako namin kami ninyo kayo hindi para ito si lang rin din "
        "salamat naman pero kasi yung nang ba opo natin niyo siya nila kung wala may".split()
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
    "tl": "Tagalog",
    "ja": "Japanese",
    "zh": "Chinese",
    "ko": "Korean",
}
_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile("[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_SAMPLE = 4000  # characters looked at for the script check


@dataclass(frozen=True)
class LanguageGuess:
    code: str
    why: str


def _by_script(text: str) -> LanguageGuess | None:
    """Japanese, Korean or Chinese when their characters outnumber Latin letters."""
    sample = text[:_SAMPLE]
    kana, hangul, han = (len(p.findall(sample)) for p in (_KANA, _HANGUL, _HAN))
    latin = len(_LATIN.findall(sample))
    if kana + hangul + han < 4 or kana + hangul + han < latin / 2:
        return None
    if hangul > kana:
        return LanguageGuess("ko", f"language ko ({hangul} Hangul characters)")
    if kana >= 2 or (kana and kana * 10 >= han):
        return LanguageGuess("ja", f"language ja ({kana} kana and {han} kanji characters)")
    return LanguageGuess("zh", f"language zh ({han} Han characters, no kana)")


def detect_language(text: str, fallback: str) -> LanguageGuess:
    """By script for CJK; else the language with the most function words, if
    clearly ahead; else ``fallback``."""
    script = _by_script(text)
    if script is not None:
        return script
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
