"""hardtech: the product's root package.

Two modules live here, at opposite ends of the layer stack:

* :mod:`hardtech.settings` is the bottom layer: the one settings object, which
  every other package may read and which imports nothing of the product.
* :mod:`hardtech.cli` is the top layer: the ``hardtech`` command, which mounts
  each package's ``register(app)``.
"""
