"""Indonesian personal names: normalisation for search and duplicate detection. Pure: no Django.

``normalize`` turns what operators type ("Drs. H. Muh. Ikbal, S.Pd., M.Si.") into a comparable key
("muhammad ikbal"): accents, case and punctuation go; academic, professional and religious titles go
wherever they stand (before the name, after a comma, at the end); common abbreviations are expanded
(Muh./Moh./Mhd./M. -> muhammad, Abd. -> abdul, St. -> siti); repeated words are dropped.

``sound`` reduces one word to a phonetic skeleton tolerant of Indonesian spelling variation (old Dutch
spelling dj/tj, q/k, f/p/v, ch/kh, y/j at the start, vowels, h and doubled letters), so "Yohanis Bria"
and "Yohanes Berya", or "Ikbal" and "Iqbal", share keys. Search looks people up by the keys of the first
and last words of their names (indexed columns), then ranks the few candidates with RapidFuzz.

Every rule is written once, as a list of steps (regular expressions and literal replacement tables), and
run by two engines: Python's ``re`` for one name (a form) and polars for a million (an import). The
regexes avoid look-arounds and back-references so both engines read them the same way; a property test
holds the two paths equal. Between steps a name is kept as " word  word  word " (each word wrapped in its
own spaces) so that whole-word patterns never overlap.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import polars as pl

NAME_KEY_LENGTH = 150  # Person.name_key
SOUND_LENGTH = 40  # Person.sound_first / sound_last

# Degrees and titles that are never a name, dropped wherever they stand (letters, dots ignored).
_DEGREE_WORDS = """
    drs dra dr drg drh ir prof phd hj ns apt ners
    spd spdi spdk spdsd sag sth sthi sfil sip ssos sikom skom ssi stp spt shut spi sp se sei sesy sh shi
    sked skg skm skep sfarm sgz ssit str strkeb strkes strkep sst sak sm sars sds ssn spsi shum stt
    amd amdkep amdkeb amdkes amdak amdfarm amdgz amdkom amdpar amdt amdkl amdrad amdtek amdkg
    mpd mpdi msi mm mh mt mag mhum mkes mkom mkn map mak mtr msc mba mph mth mfarm mkep mkm mtp ms mp mpa
    mgz mars mked mtcs bsc llm
"""
DEGREES = sorted(_DEGREE_WORDS.split(), key=lambda d: (-len(d), d))
# Honorifics and religious titles that can also be (part of) a name: dropped only before the name.
LEADING = "h haji hajah kh ust ustad ustadz ustadzah pdt pendeta rm romo pater sr fr bpk bapak ibu ny nn tn"
ABBREVIATIONS = {
    "muhammad": "muh moh mhd muhd mohd moch mochd mch mhmd muhamad mohammad mohamad mohamat muhamat "
    "muhammat mochammad mochamad mukhammad mohammed muhammed mohamed",
    "abdul": "abd abdl",
    "ahmad": "achmad akhmad",
}
# Read as abbreviations only as the first word of a longer name ("M. Yusuf", "St. Aminah").
FIRST_WORD = {"m": "muhammad", "st": "siti"}
# The second half of a degree written with a space ("S. Pd", "M. Si", "A. Md").
_DEGREE_ENDS = "pdi|pd|si|kom|sos|kep|ked|md|ag|ip|km|farm|psi|kes|hum|ak|ikom|tr|th"


def _alt(words: list[str] | str) -> str:
    return "|".join(words.split() if isinstance(words, str) else words)


def _dotted(letters: str) -> str:
    r"""'spd' -> 's\.?p\.?d\.?': the letters of a degree, each optionally followed by a dot."""
    return "".join(f"{c}\\.?" for c in letters)


class Re:
    """A regex substitution; ``py``/``pl`` are the replacement in each engine's group syntax."""

    def __init__(self, pattern: str, py: str = "", pl_: str | None = None):
        self.pattern, self.py, self.pl = pattern, py, py if pl_ is None else pl_
        self.compiled = re.compile(pattern)


class Many:
    """Literal replacements in one pass, leftmost match first, earlier entries winning ties."""

    def __init__(self, table: Mapping[str, str]):
        self.table = dict(table)
        self.compiled = re.compile("|".join(re.escape(k) for k in self.table))


class Dedupe:
    """Drop a word equal to the word before it ("Maria Maria"). Works on single-spaced text and looks at
    the first WORDS words (the rest stays as one piece): polars does this with fixed columns, fast."""

    WORDS = 8


_CANON = [Re(" +", "  "), Re("^ +| +$"), Re("^", " "), Re("$", " ")]

NORMALIZE_STEPS: list[Re | Many | Dedupe] = [
    Re("['`\u2018\u2019]"),
    Re("[^a-z.,]+", " "),
    # Each comma-separated part after the first gets commas of its own; parts that are titles go.
    Re(",", ",,"),
    Re("$", ","),
    Re(rf",(?: *(?:(?:[a-z]{{1,6}} ?\. ?)+[a-z]{{0,6}}|(?:{_alt(DEGREES)}|st)\.?) *),"),
    Re(",", " "),
    *_CANON,
    Re(rf" ([sadm])\. +({_DEGREE_ENDS})(\.?) ", r" \1.\2\3 ", " ${1}.${2}${3} "),
    Re(rf" (?:{_alt([_dotted(d) for d in DEGREES])}|s\.t\.?) "),
    Re(r"\.", " "),
    *_CANON,
    Re(rf"^(?: (?:{_alt(DEGREES)}|{_alt(LEADING)}) )+"),
    Re(rf" (?:{_alt(DEGREES)}) "),
    *[Re(f"^ {short}  ", f" {full}  ") for short, full in FIRST_WORD.items()],
    *[Re(rf" (?:{_alt(shorts)}) ", f" {full} ") for full, shorts in ABBREVIATIONS.items()],
    Re(" +", " "),
    Re("^ | $"),
    Dedupe(),
]

_CONSONANTS = "bdgjklmnprstw"  # what is left of a word after the mappings below
SOUND_STEPS: list[Re | Many] = [
    Many(
        {
            "dj": "j",
            "tj": "k",
            "ph": "p",
            "kh": "k",
            "ch": "k",
            "sy": "s",
            "sh": "s",
            "th": "t",
            "dh": "d",
            "ck": "k",
            "q": "k",
            "x": "ks",
            "z": "j",
            "v": "p",
            "f": "p",
            "c": "k",
        }
    ),
    Re("^[yj]", "J"),  # upper-case marks survive vowel removal: J = starts with y/j, A = with a vowel
    Re("^h"),
    Re("^[aeiou]+", "A"),
    Re("[aeiouhy]"),
    Many({c * n: c for c in _CONSONANTS for n in (4, 3, 2)}),
    Re("d$", "t"),  # final d is pronounced (and often written) t: Ahmad/Ahmat
]


# ---------------------------------------------------------------- scalar path


def _run(text: str, steps: list[Re | Many | Dedupe]) -> str:
    for step in steps:
        if isinstance(step, Re):
            text = step.compiled.sub(step.py, text)
        elif isinstance(step, Many):
            text = step.compiled.sub(lambda m, t=step.table: t[m.group()], text)
        else:
            words = text.split(" ", Dedupe.WORDS - 1)
            text = " ".join(w for i, w in enumerate(words) if i == 0 or w != words[i - 1])
    return text


def normalize(name: str) -> str:
    """The comparable form of a name: lower-case words without titles, abbreviations expanded."""
    text = re.sub("[\u0300-\u036f]", "", unicodedata.normalize("NFKD", name or "")).lower()
    return _run(text, NORMALIZE_STEPS)[:NAME_KEY_LENGTH]


def sound(word: str) -> str:
    """Phonetic skeleton of one normalised word, e.g. yohanis/yohanes -> 'jns', iqbal/ikbal -> 'akbl'."""
    return _run(word, SOUND_STEPS).lower()[:SOUND_LENGTH]


def sounds(name: str) -> list[str]:
    """The distinct sound keys of the words of a (raw) name, in order."""
    return list(dict.fromkeys(sound(w) for w in normalize(name).split()))


def index_values(name: str) -> dict[str, str]:
    """Values of the Person columns that search and duplicate detection use."""
    key = normalize(name)
    first, last = re.search("^[a-z]*", key).group(), re.search("[a-z]*$", key).group()
    return {"name_key": key, "sound_first": sound(first), "sound_last": sound(last)}


# ---------------------------------------------------------------- polars path (same steps, in bulk)


def _run_expr(text: pl.Expr, steps: list[Re | Many | Dedupe]) -> pl.Expr:
    for step in steps:
        if isinstance(step, Re):
            text = text.str.replace_all(step.pattern, step.pl)
        elif isinstance(step, Many):
            text = text.str.replace_many(step.table, leftmost=True)
        else:
            text = text.map_batches(_dedupe_series, return_dtype=pl.String)
    return text


def _dedupe_series(text: pl.Series) -> pl.Series:
    # A batch function, not an expression: an expression would repeat the whole pipeline per word.
    words = text.str.splitn(" ", Dedupe.WORDS).struct.unnest()
    cols = [pl.col(c) for c in words.columns]
    kept = [cols[0], *(pl.when(w != prev).then(w) for prev, w in zip(cols, cols[1:], strict=False))]
    return words.select(pl.concat_str(kept, separator=" ", ignore_nulls=True)).to_series().alias(text.name)


def normalize_expr(name: pl.Expr) -> pl.Expr:
    """:func:`normalize` as a polars expression."""
    text = name.fill_null("").str.normalize("NFKD").str.replace_all("[\u0300-\u036f]", "").str.to_lowercase()
    return _run_expr(text, NORMALIZE_STEPS).str.slice(0, NAME_KEY_LENGTH)


def sound_expr(word: pl.Expr) -> pl.Expr:
    """:func:`sound` as a polars expression."""
    return _run_expr(word, SOUND_STEPS).str.to_lowercase().str.slice(0, SOUND_LENGTH)


def sound_exprs(name_key: pl.Expr) -> dict[str, pl.Expr]:
    """sound_first/sound_last from an already normalised name."""
    return {
        "sound_first": sound_expr(name_key.str.extract("^([a-z]*)", 1)),
        "sound_last": sound_expr(name_key.str.extract("([a-z]*)$", 1)),
    }


def index_exprs(name: pl.Expr) -> dict[str, pl.Expr]:
    """:func:`index_values` as polars expressions: ``df.with_columns(**index_exprs(pl.col("name")))``.

    The three share the normalisation; in a lazy frame polars computes it once (common subexpression
    elimination). :func:`with_index_columns` does it in two steps for eager frames.
    """
    key = normalize_expr(name)
    return {"name_key": key, **sound_exprs(key)}


def with_index_columns(frame: pl.DataFrame | pl.LazyFrame, name: str = "name"):
    """``frame`` with name_key, sound_first and sound_last added, normalising each name once."""
    return frame.with_columns(name_key=normalize_expr(pl.col(name))).with_columns(
        **sound_exprs(pl.col("name_key"))
    )
