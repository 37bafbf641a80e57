"""Which operation a turn asks: the classifier's ranking, settled where the model is unsure.

A model retrained on a grown exemplar bank moves its borderline calls, so two tie-breaks that
do not depend on the weights settle them:

- **cues**: of two operations within ``MARGIN`` of each other, the one whose own cue words
  (lexicon ``cues``) are in the question wins over one whose are not ("它们分别属于哪个梯队":
  lookup 0.54, tier 0.43, and 梯队 is a tier word), and over a follow-up that does not open as one
  ("how many are northern and southern?" after a tier list: follow_up 0.49, count 0.47, and "how
  many" counts; "那梯队呢" stays a follow-up);
- **continuity**: after another turn, an unsure top choice (below ``UNSURE``) gives way to the
  previous turn's operation when the model still gives that one ``KEPT`` or more ("and how many
  did the 2019 edition cover?" after a coverage question: change 0.71, coverage 0.17);
- **on topic**: in a conversation about the indices, an unsure ``out_of_scope`` with none of its
  own cue words gives way to the next choice ("它涨这么多主要靠哪个指标？" after a district's rise:
  out_of_scope 0.37 is the model not knowing the words, not the user leaving the subject).
"""
from __future__ import annotations

from .followup import opens
from .lexicon import words

FOLLOW_UP = "follow_up"
MARGIN = 0.15     # probability points between the first two operations
UNSURE = 0.75     # a top probability below this is open to the conversation's pull
KEPT = 0.15       # ...if the previous operation has at least this much
# operations whose cue list goes by another name in the lexicon
CUES = {"rank": "rank_list", "out_of_scope": "offtopic"}


def cued(operation: str, text: str) -> bool:
    """Does ``text`` hold one of ``operation``'s own cue words? (``follow_up`` and ``unanswerable``
    have none.)"""
    return words("cues", CUES.get(operation, operation))(text)


def settle(probs: dict[str, float], text: str) -> list[str]:
    """The operations (and ``follow_up``) best first, a near tie broken by the cue words."""
    ranked = sorted(probs, key=probs.get, reverse=True)
    first, second = ranked[0], ranked[1]
    if probs[first] - probs[second] < MARGIN and second != FOLLOW_UP and \
            cued(second, text) and (not opens(text) if first == FOLLOW_UP else not cued(first, text)):
        ranked[0], ranked[1] = second, first
    return ranked


def on_topic(ranked: list[str], probs: dict[str, float], text: str, previous: str | None) -> list[str]:
    """``ranked``, with an unsure, uncued ``out_of_scope`` moved below the next choice after a turn
    that was on topic."""
    if ranked[0] == "out_of_scope" and previous not in (None, "out_of_scope") and probs[ranked[0]] < UNSURE \
            and not cued("out_of_scope", text):
        return [ranked[1], ranked[0], *ranked[2:]]
    return ranked


def continued(operation: str, probs: dict[str, float], previous: str | None, text: str = "") -> str:
    """``operation``, or the previous turn's when the model is unsure and the conversation goes on,
    unless the turn says a cue word of its own operation and none of the previous one's
    ("2020年科研人才又排第几" after "哪项最弱": 第几 asks a place, not who is weakest)."""
    if previous is not None and operation != previous and probs[operation] < UNSURE and probs.get(previous, 0.0) >= KEPT \
            and not (cued(operation, text) and not cued(previous, text)):
        return previous
    return operation
