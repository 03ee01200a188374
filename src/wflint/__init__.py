"""wflint: find and fix what wastes GitHub Actions minutes."""

__version__ = "0.1.0"
