"""formcheck: watches a runner's video, reads their training logs and explains a lower-back pump.

The public entry points are re-exported here so that tools can use formcheck
as a library without knowing its module layout.
"""

from formcheck.errors import FormcheckError

__all__ = ["FormcheckError", "__version__"]
__version__ = "0.1.0"
