"""The crisisops version, kept in one place for the build backend and the package."""

__all__ = ["__version__"]

__version__ = "0.1.0.dev0"
