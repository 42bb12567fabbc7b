"""tollwatch: follow how each outlet's casualty figures for an event change over time."""

__version__ = "0.1.0"
