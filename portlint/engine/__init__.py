"""The engine: one file (``scan``) <- many files (``batch``) <- the run (``run``).

Imports go one way only, down that chain; ``filters`` (what a run shows),
``suppression``, ``baseline`` and the scan cache (``cache``, ``codec``) sit
beside it. The finished run is a model value, ``portlint.results.RunResult``.
"""
