"""Glossary, troubleshooting entries and talk tracks: loaded from resources/knowledge, searched
the way an owner phrases things on the phone. Stdlib only, so the CLI, report and window share it.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from assistant.knowledge import checklist
from assistant.resources import resource_path

# The checklist steps, as declared in resources/checks.json (talk tracks name them).
STEP_IDS: tuple[str, ...] = checklist.step_ids()
REQUIRED_TERMS: tuple[str, ...] = (
    "Customer Portal", "Payment Methods", "Subscription Management", "Billing History",
    "Portal Session", "Test Mode", "Live Mode", "Secret Key", "Restricted Key", "Publishable Key",
    "Webhook Signing Secret", "API Key Permission", "Portal Configuration", "Default Return URL",
    "Product Catalogue", "Price", "Archived Product", "Archived Price", "Recurring Price",
    "Usage-based Billing", "Webhook Endpoint", "No-code Login Link", "One-time Passcode",
    "Prefilled E-mail", "Stripe Tax", "Tax ID", "Tax Behavior", "Connect Platform",
    "Billing Email", "Subscription Schedule", "Collection Method", "Request ID", "Rate Limit",
    "Dashboard", "Deleted Customer", "Subscription Status", "Locale", "Business Information",
    "Branding",
)

GLOSSARY_FILE = "glossary.json"
TROUBLESHOOTING_FILE = "troubleshooting.json"
TALK_TRACKS_FILE = "talk_tracks.json"
SCHEMA_FILE = "schema.json"

DASHBOARD_ROOT = "https://dashboard.stripe.com/"


class KnowledgeError(ValueError):
    """A knowledge file is missing or shaped wrongly; the message names the file and entry."""


@dataclass(frozen=True)
class DashboardLinks:
    test: str
    live: str

    def for_mode(self, mode: str) -> str:
        """The link for "test" or "live"; anything else counts as live, like Stripe's own URLs."""
        return self.test if mode == "test" else self.live


@dataclass(frozen=True)
class Term:
    name: str
    synonyms: tuple[str, ...]
    definition: str
    why_it_matters: str
    related: tuple[str, ...] = ()
    dashboard: DashboardLinks | None = None


@dataclass(frozen=True)
class TroubleshootingEntry:
    id: str
    title: str
    symptoms: tuple[str, ...]
    cause: str
    checks: tuple[str, ...]  # the checks that link here: declared with each check in checks.json
    fix: tuple[str, ...]
    dashboard: DashboardLinks | None
    terms: tuple[str, ...]


@dataclass(frozen=True)
class TalkTrack:
    step: str
    title: str
    ask: tuple[str, ...]
    say: tuple[str, ...]
    watch_out: tuple[str, ...]
    terms: tuple[str, ...]


@dataclass(frozen=True)
class SearchHit:
    kind: Literal["term", "trouble"]
    key: str
    title: str
    score: float
    snippet: str


# --------------------------------------------------------------------------- parsing


def _req(obj: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in obj:
        raise KnowledgeError(f"{where}: missing field {key!r}")
    return obj[key]


def _str(obj: Mapping[str, Any], key: str, where: str) -> str:
    value = _req(obj, key, where)
    if not isinstance(value, str):
        raise KnowledgeError(f"{where}: field {key!r} must be text")
    return value


def _strs(obj: Mapping[str, Any], key: str, where: str, default: Sequence[str] | None = None) -> tuple[str, ...]:
    if key not in obj and default is not None:
        return tuple(default)
    value = _req(obj, key, where)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise KnowledgeError(f"{where}: field {key!r} must be a list of text")
    return tuple(value)


def _dashboard(obj: Mapping[str, Any], where: str) -> DashboardLinks | None:
    value = obj.get("dashboard")
    if value is None:
        return None
    if not isinstance(value, dict):
        raise KnowledgeError(f"{where}: field 'dashboard' must be an object or null")
    return DashboardLinks(test=_str(value, "test", where), live=_str(value, "live", where))


def _items(data: Any, filename: str) -> list[Mapping[str, Any]]:
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise KnowledgeError(f"{filename}: expected a list of objects")
    return data


def _read(root: Path, filename: str) -> Any:
    path = root / filename
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except OSError as exc:
        raise KnowledgeError(f"{filename}: cannot read ({exc.strerror})") from exc
    except json.JSONDecodeError as exc:
        raise KnowledgeError(f"{filename}: not valid JSON (line {exc.lineno})") from exc


def _parse_term(obj: Mapping[str, Any], i: int) -> Term:
    where = f"{GLOSSARY_FILE}[{i}]"
    return Term(
        name=_str(obj, "name", where),
        synonyms=_strs(obj, "synonyms", where, default=()),
        definition=_str(obj, "definition", where),
        why_it_matters=_str(obj, "why_it_matters", where),
        related=_strs(obj, "related", where, default=()),
        dashboard=_dashboard(obj, where),
    )


def _parse_entry(obj: Mapping[str, Any], i: int) -> TroubleshootingEntry:
    where = f"{TROUBLESHOOTING_FILE}[{i}]"
    return TroubleshootingEntry(
        id=_str(obj, "id", where),
        title=_str(obj, "title", where),
        symptoms=_strs(obj, "symptoms", where),
        cause=_str(obj, "cause", where),
        checks=_strs(obj, "checks", where, default=()),
        fix=_strs(obj, "fix", where),
        dashboard=_dashboard(obj, where),
        terms=_strs(obj, "terms", where),
    )


def _parse_track(obj: Mapping[str, Any], i: int) -> TalkTrack:
    where = f"{TALK_TRACKS_FILE}[{i}]"
    return TalkTrack(
        step=_str(obj, "step", where),
        title=_str(obj, "title", where),
        ask=_strs(obj, "ask", where),
        say=_strs(obj, "say", where),
        watch_out=_strs(obj, "watch_out", where),
        terms=_strs(obj, "terms", where),
    )


# --------------------------------------------------------------------------- text handling

_STOP_WORDS = frozenset([
    "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at",
    "be", "been", "but", "by", "can", "cant", "could", "did", "didnt", "do", "does", "doesnt",
    "dont", "for", "from", "get", "gets", "getting", "got", "had", "has", "have", "how", "i", "im",
    "is", "isnt", "it", "its", "ive", "just", "me", "my", "no", "not", "of", "on", "or", "our",
    "ours", "out", "please", "so", "some", "still", "that", "the", "their", "them", "then", "there",
    "they", "this", "to", "up", "us", "was", "wasnt", "we", "were", "what", "when", "where",
    "which", "who", "why", "will", "with", "wont", "would", "you", "your",
])
_APOSTROPHES = re.compile(r"['’`]")
_WORD = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*")
_COMPOUND_SPLIT = re.compile(r"[-_.]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


_IRREGULAR = {"going": "go", "goes": "go", "gone": "go", "went": "go", "using": "use",
              "used": "use", "uses": "use", "got": "get", "gotten": "get", "sent": "send",
              "paid": "pay", "shown": "show"}


@functools.lru_cache(maxsize=8192)
def _stem(word: str) -> str:
    """A deliberately light stemmer: plurals, -ing and -ed, then a trailing e, nothing clever."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4 or word.endswith("ied") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("ing") and len(word) >= 6:
        word = word[:-3]
    elif word.endswith("ed") and len(word) >= 5 or word.endswith(("sses", "xes", "zes", "ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("e") and len(word) >= 4:
        word = word[:-1]
    return word


def _tokens(text: str) -> list[str]:
    """Stems of the meaningful words; `pk_live` and `e-mail` also count as their parts and joined."""
    out: list[str] = []
    for match in _WORD.finditer(_APOSTROPHES.sub("", text.lower())):
        word = match.group()
        parts = [p for p in _COMPOUND_SPLIT.split(word) if p]
        candidates = ["".join(parts), *parts] if len(parts) > 1 else parts
        for cand in candidates:
            if cand and cand not in _STOP_WORDS:
                out.append(_stem(cand))
    return out


def _lookup_key(text: str) -> str:
    return _NON_ALNUM.sub(" ", _APOSTROPHES.sub("", text.lower())).strip()


def _first_sentence(text: str, limit: int = 180) -> str:
    sentence = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rstrip() + "…"
    return sentence


# --------------------------------------------------------------------------- search index

# How much a match in each field counts. Owners describe symptoms, so those count most.
_W_TITLE = 3.0
_W_SYMPTOM = 3.0
_W_SYNONYM = 2.5
_W_ID = 1.5
_W_CAUSE = 1.0
_W_DEFINITION = 1.0
_W_CHECK = 0.8
_W_TERM_NAME = 0.8
_W_WHY = 0.6
_W_FIX = 0.5
_W_TERM_SYNONYM = 0.4
_TERM_KIND_FACTOR = 0.85  # on a call the owner describes a problem more often than a word
_PHRASE_BONUS = 2.0
# A query that is exactly a term's name or one of its synonyms (the Dashboard's own label, such
# as "redirect link") is that term: it leads, ahead of problems that merely mention the words.
_EXACT_TERM_BONUS = 100.0


@dataclass
class _Doc:
    kind: Literal["term", "trouble"]
    key: str
    title: str
    snippet: str
    weights: dict[str, float]
    phrases: list[tuple[frozenset[str], float]]  # stems of one symptom/title/synonym + its weight
    names: frozenset[str] = frozenset()  # a term's name and synonyms, as `_lookup_key` writes them


class _Index:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.docs: list[_Doc] = []
        by_name = {t.name: t for t in kb.terms}
        for term in kb.terms:
            fields: list[tuple[Iterable[str], float]] = [
                ([term.name], _W_TITLE),
                (term.synonyms, _W_SYNONYM),
                ([term.definition], _W_DEFINITION),
                ([term.why_it_matters], _W_WHY),
            ]
            self._add("term", term.name, term.name, _first_sentence(term.definition), fields,
                      [(p, _W_TITLE) for p in (term.name, *term.synonyms)])
            self.docs[-1].names = frozenset(_lookup_key(n) for n in (term.name, *term.synonyms))
        for entry in kb.entries:
            linked = [by_name[n] for n in entry.terms if n in by_name]
            fields = [
                ([entry.title], _W_TITLE),
                (entry.symptoms, _W_SYMPTOM),
                ([entry.id], _W_ID),
                ([entry.cause], _W_CAUSE),
                (entry.checks, _W_CHECK),
                (entry.fix, _W_FIX),
                ([t.name for t in linked], _W_TERM_NAME),
                ([s for t in linked for s in t.synonyms], _W_TERM_SYNONYM),
            ]
            phrases = [(s, _W_SYMPTOM) for s in entry.symptoms] + [(entry.title, _W_TITLE)]
            self._add("trouble", entry.id, entry.title, _first_sentence(entry.cause), fields, phrases)

        df: dict[str, int] = {}
        for doc in self.docs:
            for stem in doc.weights:
                df[stem] = df.get(stem, 0) + 1
        n = len(self.docs)
        self.idf = {stem: math.log(1.0 + n / count) for stem, count in df.items()}
        self.vocab = sorted(df)
        self._expansions: dict[str, list[tuple[str, float]]] = {}

    def _add(self, kind: Literal["term", "trouble"], key: str, title: str, snippet: str,
             fields: list[tuple[Iterable[str], float]], phrases: list[tuple[str, float]]) -> None:
        weights: dict[str, float] = {}
        for texts, weight in fields:
            for text in texts:
                for stem in _tokens(text):
                    if weights.get(stem, 0.0) < weight:
                        weights[stem] = weight
        stems = [(frozenset(_tokens(text)), w) for text, w in phrases]
        self.docs.append(_Doc(kind, key, title, snippet, weights, [p for p in stems if p[0]]))

    def expand(self, q: str) -> list[tuple[str, float]]:
        """Vocabulary stems a query stem stands for: itself, words it starts (typing), its root."""
        cached = self._expansions.get(q)
        if cached is not None:
            return cached
        out: list[tuple[str, float]] = []
        for v in self.vocab:
            if v == q:
                out.append((v, 1.0))
            elif len(q) >= 3 and v.startswith(q):
                out.append((v, 0.55 + 0.35 * len(q) / len(v)))
            elif len(v) >= 4 and q.startswith(v):
                out.append((v, 0.8))
        self._expansions[q] = out
        return out

    def search(self, query: str, limit: int) -> list[SearchHit]:
        qstems = list(dict.fromkeys(_tokens(query)))
        if not qstems or limit <= 0:
            return []
        expansions = {q: self.expand(q) for q in qstems}
        qidf = {q: max((self.idf[v] for v, _ in expansions[q]), default=0.0) for q in qstems}
        total_idf = sum(qidf.values()) or 1.0
        exact = _lookup_key(query)
        hits: list[SearchHit] = []
        for doc in self.docs:
            score = 0.0
            matched = 0.0
            for q in qstems:
                best = 0.0
                for v, quality in expansions[q]:
                    w = doc.weights.get(v)
                    if w is not None:
                        best = max(best, w * quality * self.idf[v])
                if best > 0.0:
                    score += best
                    matched += qidf[q]
            if score <= 0.0:
                continue
            coverage = matched / total_idf
            score *= 0.4 + 0.6 * coverage
            score += self._phrase_bonus(doc, qstems, expansions, qidf, total_idf)
            if doc.kind == "term":
                score *= _TERM_KIND_FACTOR
                if exact in doc.names:
                    score += _EXACT_TERM_BONUS
            hits.append(SearchHit(doc.kind, doc.key, doc.title, round(score, 4), doc.snippet))
        hits.sort(key=lambda h: (-h.score, h.kind != "trouble", h.title))
        return hits[:limit]

    @staticmethod
    def _phrase_bonus(doc: _Doc, qstems: list[str], expansions: Mapping[str, list[tuple[str, float]]],
                      qidf: Mapping[str, float], total_idf: float) -> float:
        """Reward one symptom (or title) that holds most of the query, not words scattered about."""
        best = 0.0
        for stems, weight in doc.phrases:
            hit_stems = {v for q in qstems for v, _ in expansions[q] if v in stems}
            if not hit_stems:
                continue
            got = sum(qidf[q] for q in qstems if any(v in stems for v, _ in expansions[q]))
            frac = got / total_idf
            precision = len(hit_stems) / len(stems)  # a short, exact symptom beats a long one
            bonus = _PHRASE_BONUS * weight / _W_TITLE * got * frac * frac * (0.6 + 0.4 * precision)
            best = max(best, bonus)
        return best


# --------------------------------------------------------------------------- the base


class KnowledgeBase:
    """The three knowledge files as read-only data, with lookups and a small search engine."""

    def __init__(self, terms: Sequence[Term], entries: Sequence[TroubleshootingEntry],
                 talk_tracks: Sequence[TalkTrack]) -> None:
        self.terms: tuple[Term, ...] = tuple(terms)
        self.entries: tuple[TroubleshootingEntry, ...] = tuple(entries)
        self.talk_tracks: tuple[TalkTrack, ...] = tuple(talk_tracks)
        self._term_index: dict[str, Term] = {}
        for term in self.terms:  # names first, so a synonym never shadows a real name
            for key in (_lookup_key(term.name), _lookup_key(term.name).replace(" ", "")):
                self._term_index.setdefault(key, term)
        for term in self.terms:
            for syn in term.synonyms:
                for key in (_lookup_key(syn), _lookup_key(syn).replace(" ", "")):
                    self._term_index.setdefault(key, term)
        self._entries = {e.id: e for e in reversed(self.entries)}
        self._tracks = {t.step: t for t in reversed(self.talk_tracks)}
        self._index: _Index | None = None

    @classmethod
    def load(cls, root: Path | None = None) -> KnowledgeBase:
        """Read glossary, troubleshooting and talk tracks; raise KnowledgeError if misshapen.

        Which checks link to an entry is declared with the checks (`checks.json`), not in the
        entry, so each entry gets its `checks` from there."""
        root = resource_path("knowledge") if root is None else Path(root)
        terms = [_parse_term(o, i) for i, o in enumerate(_items(_read(root, GLOSSARY_FILE), GLOSSARY_FILE))]
        links = checklist.troubleshooting_links()
        entries = [_parse_entry(o, i) for i, o in
                   enumerate(_items(_read(root, TROUBLESHOOTING_FILE), TROUBLESHOOTING_FILE))]
        entries = [replace(e, checks=tuple(dict.fromkeys(e.checks + links.get(e.id, ()))))
                   for e in entries]
        tracks = [_parse_track(o, i) for i, o in
                  enumerate(_items(_read(root, TALK_TRACKS_FILE), TALK_TRACKS_FILE))]
        return cls(terms, entries, tracks)

    def term(self, name: str) -> Term | None:
        """Find a term by its name or a synonym, ignoring case, spacing and hyphens."""
        key = _lookup_key(name)
        return self._term_index.get(key) or self._term_index.get(key.replace(" ", ""))

    def entry(self, entry_id: str) -> TroubleshootingEntry | None:
        return self._entries.get(entry_id)

    def talk_track(self, step: str) -> TalkTrack | None:
        return self._tracks.get(step)

    def entries_for_check(self, check_id: str) -> list[TroubleshootingEntry]:
        return [e for e in self.entries if check_id in e.checks]

    def search(self, query: str, limit: int = 10) -> list[SearchHit]:
        """Best matches for what the owner said, troubleshooting entries and terms mixed."""
        if self._index is None:
            self._index = _Index(self)
        return self._index.search(query, limit)


@functools.lru_cache(maxsize=1)
def default_knowledge() -> KnowledgeBase:
    """The bundled knowledge base, read once per process."""
    return KnowledgeBase.load()


# --------------------------------------------------------------------------- validation


def _dashboard_problems(links: DashboardLinks | None, where: str) -> list[str]:
    if links is None:
        return []
    problems = []
    if not links.test.startswith(DASHBOARD_ROOT + "test/"):
        problems.append(f"{where}: test Dashboard link must start with {DASHBOARD_ROOT}test/")
    if not links.live.startswith(DASHBOARD_ROOT) or "/test/" in links.live:
        problems.append(f"{where}: live Dashboard link must be under {DASHBOARD_ROOT} without /test/")
    return problems


def _empty_problems(where: str, **fields: str | Sequence[str]) -> list[str]:
    problems = []
    for name, value in fields.items():
        if isinstance(value, str):
            if not value.strip():
                problems.append(f"{where}: {name} is empty")
        elif not value:
            problems.append(f"{where}: {name} is empty")
        elif any(not v.strip() for v in value):
            problems.append(f"{where}: {name} holds an empty item")
    return problems


def validate(kb: KnowledgeBase, check_ids: Sequence[str]) -> list[str]:
    """Every problem a reader would trip over; an empty list means the knowledge is sound.

    `check_ids` come from the caller (the checks registry): knowledge sits below the diagnosis
    and must not import it."""
    names = {t.name for t in kb.terms}
    problems = _term_problems(kb, names) + _entry_problems(kb, names, check_ids)
    track_problems, steps = _talk_track_problems(kb, names)
    problems += track_problems
    problems += [f"missing required term {n!r}" for n in REQUIRED_TERMS if n not in names]
    problems += [f"no troubleshooting entry for check {c!r}" for c in check_ids
                 if not kb.entries_for_check(c)]
    problems += [f"check {c.id!r} links troubleshooting entry {e!r}, which does not exist"
                 for c in checklist.checks() for e in c.troubleshooting if kb.entry(e) is None]
    problems += [f"no talk track for step {s!r}" for s in STEP_IDS if s not in steps]
    return problems


def _term_problems(kb: KnowledgeBase, names: set[str]) -> list[str]:
    problems: list[str] = []
    seen: dict[str, str] = {}
    for term in kb.terms:
        where = f"term {term.name!r}"
        problems += _empty_problems(where, name=term.name, synonyms=term.synonyms,
                                    definition=term.definition, why_it_matters=term.why_it_matters,
                                    related=term.related)
        problems += _dashboard_problems(term.dashboard, where)
        key = _lookup_key(term.name)
        if key in seen:
            problems.append(f"{where}: duplicate name")
        seen[key] = term.name
        for ref in term.related:
            if ref not in names:
                problems.append(f"{where}: related term {ref!r} does not exist")
            elif ref == term.name:
                problems.append(f"{where}: lists itself as related")
    for term in kb.terms:  # a synonym shared by two terms makes term() lookups ambiguous
        for syn in term.synonyms:
            owner = seen.get(_lookup_key(syn))
            if owner is not None and owner != term.name:
                problems.append(f"term {term.name!r}: synonym {syn!r} clashes with {owner!r}")
            seen.setdefault(_lookup_key(syn), term.name)
    return problems


def _entry_problems(kb: KnowledgeBase, names: set[str], check_ids: Sequence[str]) -> list[str]:
    problems: list[str] = []
    ids: set[str] = set()
    for entry in kb.entries:
        where = f"entry {entry.id!r}"
        problems += _empty_problems(where, id=entry.id, title=entry.title, symptoms=entry.symptoms,
                                    cause=entry.cause, fix=entry.fix, terms=entry.terms)
        problems += _dashboard_problems(entry.dashboard, where)
        if entry.id in ids:
            problems.append(f"{where}: duplicate id")
        ids.add(entry.id)
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry.id):
            problems.append(f"{where}: id is not kebab-case")
        problems += [f"{where}: unknown check id {c!r}" for c in entry.checks if c not in check_ids]
        problems += [f"{where}: term {t!r} does not exist" for t in entry.terms if t not in names]
    return problems


def _talk_track_problems(kb: KnowledgeBase, names: set[str]) -> tuple[list[str], set[str]]:
    """The problems, and the steps that have a talk track."""
    problems: list[str] = []
    steps: set[str] = set()
    for track in kb.talk_tracks:
        where = f"talk track {track.step!r}"
        problems += _empty_problems(where, title=track.title, ask=track.ask, say=track.say,
                                    watch_out=track.watch_out, terms=track.terms)
        if track.step in steps:
            problems.append(f"{where}: duplicate step")
        steps.add(track.step)
        if track.step not in STEP_IDS:
            problems.append(f"{where}: unknown step id")
        problems += [f"{where}: term {t!r} does not exist" for t in track.terms if t not in names]
    return problems, steps
