"""Shared readings of spaCy's dependency parse: a speaker, the span of a phrase, the end of an object.

Both the rules (``reported``) and the learned model (``learned.cue_model``) read cues
through these; they use ``tag_``, ``dep_`` and word forms only (no lemmatizer, no NER).

    >>> sorted(TIME_WORDS)[:3]
    ['afternoon', 'april', 'august']
"""

from __future__ import annotations

from typing import Any

from ..types import Span

# A prepositional object that is one of these dates the cue, it is not what was said ("spoke on Tuesday").
TIME_WORDS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
    "tonight", "yesterday", "morning", "afternoon", "evening", "night", "day", "week", "weekend",
    "month", "year", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
}
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_CLIMB_DEPS = ("xcomp", "advcl", "conj", "ccomp", "acl", "relcl", "pcomp", "prep")
_EDGE_PUNCT = set(",;:.-\u2014\u2013")
# "used the speech to call for ...", "spent the day attacking ...": the object is the means
_MEANS_VERBS = {
    "use", "uses", "used", "using", "spend", "spends", "spent", "spending", "take", "takes", "took",
    "taken", "taking", "need", "needs", "needed", "needing", "seize", "seizes", "seized", "seizing",
    "employ", "employs", "employed", "employing",
}
_SPEND = {"spend", "spends", "spent", "spending"}  # "spent the day attacking": time never speaks


def tok_span(doc: Any, base: int, first: int, last: int) -> Span | None:
    """Character span of tokens ``first..last`` (inclusive), trimmed of edge punctuation."""
    while first <= last and (doc[first].text in _EDGE_PUNCT or doc[first].is_space):
        first += 1
    while last >= first and (doc[last].text in _EDGE_PUNCT or doc[last].is_space):
        last -= 1
    if last < first:
        return None
    return Span(base + doc[first].idx, base + doc[last].idx + len(doc[last].text))


def source_span(doc: Any, base: int, head: Any) -> Span | None:
    """The source noun phrase as written, without trailing relative clauses or appositions."""
    last = head.i
    for child in head.rights:
        if child.dep_ in ("relcl", "appos", "punct", "advcl", "parataxis") or child.text == "(":
            break
        last = child.right_edge.i
        if child.dep_ == "acl":
            last = _acl_end(child)
    return tok_span(doc, base, head.left_edge.i, last)


def _acl_end(acl: Any) -> int:
    """End of an "issued by X and Y" participle, dropping later adverbials."""
    last = acl.i
    for child in acl.rights:
        if child.dep_ == "agent" or (child.dep_ in ("dobj", "prt")):
            last = child.right_edge.i
        else:
            break
    return last


def cue_subject(tok: Any) -> Any | None:
    """The subject of a cue verb, climbing through xcomp/advcl/conj heads."""
    node = tok
    for _ in range(4):
        for child in node.children:
            if child.dep_ in _SUBJECT_DEPS:
                if child.dep_ == "nsubjpass" and node is tok:
                    return None  # "was told that", "is expected" - the subject is not the speaker
                return _named_apposition(child) or child
        participle = next((c for c in node.lefts if c.dep_ == "advcl" and c.tag_ == "VBG"), None)
        if participle is not None:  # 'Smith (R-Ohio), citing the cost, said': the parse gives
            subj = next((c for c in participle.children if c.dep_ == "nsubj"), None)  # "citing" the subject
            if subj is not None:
                return subj
        # "used the speech to call", "spent the day attacking": the means, not the speaker; but
        # "uses footage of Clinton asking": the object is who speaks
        means = node.head.lower_ in _MEANS_VERBS and (node.tag_ == "VB" or node.head.lower_ in _SPEND)
        if node.dep_ == "xcomp" and node.head is not node and not means:
            obj = next((c for c in node.head.children if c.dep_ == "dobj" and c.i < node.i), None)
            if obj is not None:  # "forced Stumpf to admit ...": the object speaks
                return obj
        if node.dep_ in _CLIMB_DEPS and node.head is not node:
            node = node.head
        elif node.dep_ == "parataxis" and node.head.i < node.i and node.head.tag_ == "VBG":
            node = node.head  # 'Durbin, noting the list, said, "..."': the root is "noting"
        else:
            return None
    return None


def _named_apposition(subj: Any) -> Any | None:
    """'With 50 days until the election, Minyon Moore, an adviser, called ...': the parse takes
    "election", the object of a preposition, as the subject and the name as its apposition."""
    first = subj.left_edge.i
    if first == 0 or subj.doc[first - 1].tag_ != "IN" or subj.tag_ in ("NNP", "NNPS", "PRP"):
        return None
    return next((c for c in subj.children if c.dep_ == "appos" and c.tag_ in ("NNP", "NNPS")), None)


def object_end(tok: Any, comp: Any) -> int:
    """Right edge of a direct-object content, with "accused X of Y" taking the "of" phrase."""
    last = comp.right_edge.i
    for child in tok.rights:
        if child.i <= last:
            continue
        if child.dep_ in ("oprd", "xcomp", "ccomp", "acomp", "attr") or (
            child.dep_ == "prep" and child.lower_ in ("of", "for", "over", "as", "to")
        ):
            last = child.right_edge.i
        elif child.dep_ not in ("punct", "cc", "conj"):
            break
    return last


def passive_agent(tok: Any) -> Any | None:
    """The "by X" of a passive verb: 'was asked by moderator Gerard Baker whether ...'."""
    by = next((c for c in tok.children if c.dep_ == "agent"), None)
    return next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
