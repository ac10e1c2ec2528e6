"""The corpus: public OpenAPI documents generated with no overlay and called against Prism.

``python -m tests.corpus`` (``nox -s corpus``) takes every document in
``../shared/public-specs/``, gives it the smallest ``provider.toml`` the generator
accepts, generates it into a temporary folder, runs ruff, imports the package, runs
``mypy --strict`` on it, then calls every operation of the sync client against Prism
serving the exported document, and writes the table into ``CORPUS.md``.
``tests/corpus/test_corpus.py`` holds the small documents to what they reach today.
"""
