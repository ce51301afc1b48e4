"""factcheck: reconcile the figures that several articles state about one story."""

__version__ = "0.1.0"
