"""Storage: every query tollwatch makes lives in this package, one module per entity.

Functions take a ``Session`` and plain values and return plain values or table rows;
code outside this package never builds a query.
"""
