"""The history unit tests, one file per module of stretchcli.history. A package, so that its
``conftest.py`` does not take the place of ``tests/conftest.py`` as the module ``conftest``
(test modules import ``Result`` from it)."""
