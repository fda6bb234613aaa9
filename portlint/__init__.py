"""portlint: find port collisions and risky port numbers in config files.

This module is imported by every invocation, including ``portlint --version``,
so it must stay free of imports.
"""

__version__ = "0.2.0"
