"""What of a model's streamed text may reach the user while it is being written.

Prose flows through as it arrives. From the first character that may open tool-call markup
(``<tool_call>``, ``<|python_tag|>``, a code fence, a JSON object) the rest of the message is
held: once the message is complete, :func:`assistant.llm.dialects.read_turn` decides whether
it was a call (the held text is dropped) or prose (the caller releases it). ``<think>`` blocks
are dropped as they close. Raw tool-call JSON therefore never reaches the user as an answer.
"""
from __future__ import annotations

_MARKUP = ("<tool_call>", "<|python_tag|>", "<function", "```", "[TOOL_CALLS]")
_THINK_OPEN, _THINK_CLOSE = "<think>", "</think>"


class TokenGate:
    def __init__(self) -> None:
        self.emitted = ""     # text released to the user so far
        self.buf = ""         # text not yet released
        self.closed = False   # markup seen: hold everything until the message ends

    def feed(self, text: str) -> str:
        """Add streamed ``text``; return the part that may be shown now."""
        self.buf += text
        if self.closed:
            return ""
        out = []
        while self.buf:
            if self.buf.lstrip().startswith(_THINK_OPEN) or (_THINK_OPEN.startswith(self.buf.lstrip()) and self.buf.strip()):
                end = self.buf.find(_THINK_CLOSE)
                if end < 0:
                    break  # inside (or maybe opening) a reasoning block: wait
                self.buf = self.buf[end + len(_THINK_CLOSE):].lstrip()
                continue
            i = _first_risky(self.buf)
            if i is None:
                out.append(self.buf)
                self.buf = ""
                break
            out.append(self.buf[:i])
            self.buf = self.buf[i:]
            tail = self.buf
            if tail.startswith(_THINK_OPEN[:len(tail)]) and len(tail) < len(_THINK_OPEN) or tail.startswith(_THINK_OPEN):
                break  # a reasoning block may be opening: the loop head decides once it is complete
            if tail[0] == "{" or any(tail.startswith(m) for m in _MARKUP):
                self.closed = True
                break
            if any(m.startswith(tail) for m in _MARKUP):
                break  # too short to tell yet
            out.append(tail[0])  # an innocent "<" or "`"
            self.buf = tail[1:]
        piece = "".join(out)
        self.emitted += piece
        return piece

    def release(self, final_text: str) -> str:
        """At the end of a prose message: the rest of ``final_text`` (the message's prose as
        read by the dialect parser) not yet shown; empty when it does not continue what was shown."""
        rest = final_text[len(self.emitted):] if final_text.startswith(self.emitted) else ""
        self.emitted += rest
        self.buf, self.closed = "", False
        return rest


def _first_risky(text: str) -> int | None:
    """Where markup might begin: "<", "`", "{", or a "[" that starts (or may start) "[TOOL_CALLS]"."""
    idx = [i for i in (text.find("<"), text.find("`"), text.find("{")) if i >= 0]
    idx += [i for i, ch in enumerate(text) if ch == "[" and "[TOOL_CALLS]".startswith(text[i:i + 12])][:1]
    return min(idx) if idx else None
