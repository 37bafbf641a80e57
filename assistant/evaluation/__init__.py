"""Evaluation suites for the hardtech assistant: ``hardtech eval``.

- :mod:`.matcher`: number matching (formats, units, ranks, tiers, percentages, Chinese
  numerals), citation overlap, routing. It reads numbers with :mod:`assistant.numerals`,
  the grammar the assistant's verifier uses too (product code never imports this package).
- :mod:`.generator`: the generated numeric suite, built from ``index_core``.
- :mod:`.golden`: the hand-written sets, one item format: the dev golden set
  (``assistant/golden.yaml`` plus ``golden_extra.yaml`` here) and the held-out set
  (``heldout*.yaml`` here, never tuned on).
- :mod:`.runner`: targets (in-process offline or LLM, ``/api/v1/ask``, OpenAI-compatible), scoring.
- :mod:`.summary`: aggregation, the dev / held-out split (held-out items stay hidden), gates.
- :mod:`.report`: JSON summary and the self-contained HTML report.
- :mod:`.cli`: ``register(app)`` mounts ``hardtech eval``.
"""
