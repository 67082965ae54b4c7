"""nnlib: the small NumPy neural-network library behind the book.

Every chapter imports its layers, losses and optimisers from here; no chapter
re-implements one. Rows are samples: an input batch ``X`` has shape ``(n, d)``.
"""

__version__ = "0.1.0"
