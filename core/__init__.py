"""Harbour's bottom layer: what every app uses and nothing in it knows about any app.

The access door (``access``), the audit log and its helper (``audit``, ``models``), form
helpers (``forms``), the PDF renderer (``pdf``), exports (``exports``) and the page furniture
template tags (``templatetags.harbour_ui``). ``make lint`` (import-linter) keeps it at the
bottom: nothing here imports another Harbour app.
"""
