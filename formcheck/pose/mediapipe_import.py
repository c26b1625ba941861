"""Loading MediaPipe's pose solution without the rest of MediaPipe (~1 s less start-up).

``import mediapipe`` runs the package's ``__init__``, which imports every
legacy solution (``drawing_utils`` pulls in ``matplotlib.pyplot``) and the whole
Tasks API (audio included, with ``sounddevice``): 1.0-1.5 s here, measured with
``-X importtime``, of which the pose solution itself needs ~0.16 s. On a 3-s clip
that second is a tenth of the run, spent on one core before any pose starts, and
every parallel pose process would pay it again.

``pose_solution`` imports ``mediapipe.python.solutions.pose`` with the two
package ``__init__`` modules in its way (``mediapipe`` and
``mediapipe.python.solutions``) registered but not yet executed. Nothing is
lost for other code in the process: each such package runs its real
``__init__`` the first time anyone asks it for an attribute it does not have
(``mediapipe.solutions``, ``mediapipe.__version__`` ...), so a later
``import mediapipe as mp; mp.solutions.pose`` behaves exactly as usual. A
MediaPipe imported in full before is simply used.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from types import ModuleType

POSE_MODULE = "mediapipe.python.solutions.pose"
DEFERRED_PACKAGES = ("mediapipe", "mediapipe.python.solutions")
"""The packages whose ``__init__`` imports far more than the pose solution; ``mediapipe.python``
(the C++ bindings the pose graph runs on) is imported normally."""

_lock = threading.Lock()
_loading_pose = False
"""True while the pose solution is being imported: its own ``from mediapipe.python.solutions import
download_utils`` must find the submodule, not run the package ``__init__`` it is avoiding."""


def pose_solution() -> ModuleType:
    """``mediapipe.python.solutions.pose``, importing as little of MediaPipe as it needs."""
    with _lock:
        global _loading_pose
        loaded = sys.modules.get(POSE_MODULE)
        if loaded is not None:
            return loaded
        _loading_pose = True
        try:
            for name in DEFERRED_PACKAGES:
                if name not in sys.modules:
                    if name == "mediapipe.python.solutions":
                        importlib.import_module("mediapipe.python")
                    _register_deferred(name)
            return importlib.import_module(POSE_MODULE)
        finally:
            _loading_pose = False


def _register_deferred(name: str) -> None:
    """Put package ``name`` in ``sys.modules`` with its ``__init__`` not yet run (see the module docstring)."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        raise ImportError(f"{name} is not an importable package: is mediapipe installed?", name=name)
    package = importlib.util.module_from_spec(spec)
    init_lock = threading.RLock()

    def complete(attribute: str) -> object:
        """PEP 562 hook: runs the real ``__init__`` on the first missing attribute (the hook removes
        itself first, so it runs once), then answers."""
        if _loading_pose or (attribute.startswith("__") and attribute.endswith("__") and attribute != "__version__"):
            raise AttributeError(attribute)  # dunder probes (copy, pickle, inspect) must not trigger a big import
        with init_lock:
            if package.__dict__.pop("__getattr__", None) is not None:
                spec.loader.exec_module(package)  # type: ignore[union-attr]
        try:
            return package.__dict__[attribute]
        except KeyError:
            raise AttributeError(f"module {name!r} has no attribute {attribute!r}") from None

    package.__getattr__ = complete  # type: ignore[attr-defined]
    sys.modules[name] = package
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, package)
