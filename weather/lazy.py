"""Public names of a package imported on first use (PEP 562), for every package here.

It lives in ``weather`` because ``weather`` imports nothing of ``energy_model``, while
``energy_model`` may import ``weather``: the one helper serves both.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable


def lazy_exports(package: str, names: dict[str, str]) -> tuple[Callable, Callable]:
    """A package's ``__getattr__`` and ``__dir__`` that import each public name from its
    submodule when first asked for, so that importing the package stays light.

    Parameters
    ----------
    package : str
        The package (its ``__name__``).
    names : dict of str to str
        Public name to the submodule it lives in, relative to the package.

    Returns
    -------
    (callable, callable)
        Assign them to the package's ``__getattr__`` and ``__dir__``.
    """

    def __getattr__(name: str):
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{names[name]}"), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(getattr(sys.modules[package], "__all__", names))

    return __getattr__, __dir__
