"""The measurements of apps not in this tree yet: reported as "not built yet", never as a
number. When an app lands, its own ``benchmarks/measures/<app>.py`` registers the real
measurement under the same kind and name, which replaces the placeholder (delete the line here).

Every app of issue 14 is in the tree now, so none is left; ``not_built(...)`` stays for the next.
"""

# The data issue 14 asks for that no app in this tree generates yet: listed in the results.
DATA_NOT_BUILT: dict[str, str] = {}
