"""hardtech scoring core: reproduce, compute and explain city innovation indices.

Start with :mod:`index_core.api` (JSON-ready functions used by the CLI, the HTTP
service and the assistant). The pipeline is pure: :mod:`index_core.engine`
(normalise, aggregate, rank, tier), :mod:`index_core.edition` (evaluate an
edition), :mod:`index_core.analysis` (explain, what-if, sensitivity). Files are read by
:mod:`index_core.io` (and :mod:`index_core.edition_check`, which validates a folder);
:mod:`index_core.catalog` finds editions (shipped and a user's) and
:mod:`index_core.install` installs and removes a user's.
"""

__version__ = "0.1.0"
