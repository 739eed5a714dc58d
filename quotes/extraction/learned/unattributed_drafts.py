"""The unattributed-quote step: quotes no rule claimed that the classifier (``unattributed``)
takes for speech."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..drafts import Draft, overlap
from ..speakers import NameIndex
from ..text.marks import Quote
from ..types import DIRECT, MIXED, Span
from . import unattributed

Example = tuple[Quote, list[float], Span | None, tuple[str, ...]]  # a training example of train_unattributed


@dataclass
class _Accepted:
    draft: Draft
    sentence: Span

    @property
    def content(self) -> Span:
        return self.draft.content


def unattributed_drafts(
    text: str, drafts: list[Draft], quotes: list[Quote], sentences: list[Span], index: NameIndex,
    collect: list | None = None,
) -> list[Draft]:
    """Drafts for quotes no rule claimed that the learned classifier takes for speech."""
    claimed = [d.content for d in drafts if d.kind in (DIRECT, MIXED)]
    left = [q for q in quotes if not any(overlap(c, q.inner) > 0 for c in claimed)]
    if not left:
        return []
    said = [unattributed.Said(d.content, d.source, d.ref) for d in drafts]
    starts = [s.start for s in sentences]
    out: list[_Accepted] = []
    for q in left:
        i = max(0, bisect.bisect_right(starts, q.outer.start) - 1)
        sentence = sentences[i] if sentences else Span(0, len(text))
        x = unattributed.features(text, q, sentence, said, index, sentences)
        source, ref = unattributed.source_for(text, q, sentence, said, index, sentences)
        if collect is not None:
            named = ref or source
            collect.append((q, x, source, index.resolve(named.of(text), named.start) if named else ()))
            continue
        p = unattributed.probability(x)
        if p < unattributed.THRESHOLD:
            continue
        last = out[-1] if out else None
        if last is not None and last.sentence == sentence \
                and "\n" not in text[last.content.end : q.outer.start]:
            # 'called it "disgusting" and "a con"': one statement, from the first quote to the last
            last.draft.content = Span(last.draft.content.start, q.inner.end)
            last.draft.kind = MIXED
            continue
        draft = Draft(DIRECT, q.inner, None, source, ref, round(0.5 * p, 3))
        out.append(_Accepted(draft, sentence))
        said.append(unattributed.Said(q.inner, source, ref))
    return [a.draft for a in out]
