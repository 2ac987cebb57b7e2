"""microcred: the whole life of a micro-credential, from design to verification."""

__version__ = "0.1.0"
