"""Harbour measured at local-authority scale against the floor of its own stack (`make bench`).

``benchmarks.registry`` holds what each app contributes: generators that bulk-load its
synthetic data (``benchmarks/generators/<app>.py``) and measurements of its pages, PDFs,
sweeps and imports (``benchmarks/measures/<app>.py``). ``benchmarks.run`` generates, measures
and writes ``bench/results.json`` and ``docs/benchmarks.md``. See docs/benchmarks.md.
"""
