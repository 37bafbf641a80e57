"""hardtech scoring core: reproduce, compute and explain city innovation indices.

Start with :mod:`index_core.api` (JSON-ready functions used by the CLI, the HTTP
service and the assistant). The pipeline is pure: :mod:`index_core.engine`
(normalise, aggregate, rank, tier), :mod:`index_core.edition` (evaluate an
edition), :mod:`index_core.analysis` (explain, what-if, sensitivity). Only
:mod:`index_core.io` touches files.
"""

__version__ = "0.1.0"
