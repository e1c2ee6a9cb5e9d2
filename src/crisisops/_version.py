"""The crisisops version, kept in one place for the build backend and the package.

``crisisops.__version__`` is this string, a PEP 440 version: a release
``MAJOR.MINOR.PATCH``, optionally followed by a pre- or dev-release suffix.

Examples
--------
>>> import crisisops
>>> from crisisops._version import __version__
>>> crisisops.__version__ == __version__
True
>>> major, minor, patch = (int(part) for part in __version__.split(".")[:3])
>>> major >= 0 and minor >= 0 and patch >= 0
True
"""

__all__ = ["__version__"]

__version__ = "0.1.0.dev0"
