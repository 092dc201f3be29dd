"""`make bench`: the scale benchmark, one module of sections per app (see core.py)."""
