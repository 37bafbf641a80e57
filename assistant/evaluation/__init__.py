"""Evaluation suites for the hardtech assistant: ``hardtech eval``.

- :mod:`.matcher`: number matching (formats, units, ranks, tiers, percentages, Chinese
  numerals), citation overlap, routing. It reads numbers with :mod:`assistant.numerals`,
  the grammar the assistant's verifier uses too (product code never imports this package).
- :mod:`.generator`: the generated numeric suite, built from ``index_core``.
- :mod:`.golden`: the hand-written golden set (``assistant/golden.yaml`` plus
  ``golden_extra.yaml`` here), one item format for both.
- :mod:`.runner`: targets (in-process, ``/api/v1/ask``, OpenAI-compatible), scoring, gates.
- :mod:`.report`: JSON summary and the self-contained HTML report.
- :mod:`.cli`: ``register(app)`` mounts ``hardtech eval``.
"""
