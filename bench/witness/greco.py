"""Load Greco1899/scrape_ufc_stats (GPL-3.0) as it is published, from ``greco1899/``.

Their ``scrape_ufc_stats_library.py`` holds the parsing functions (soup in, lists and
DataFrames out) and ``get_soup(url)``, the one place where they fetch (``requests.get``);
``scrape_ufc_stats_config.yaml`` holds their column names. Both files are byte-for-byte
copies (see ``greco1899/README.md``); this module only imports them.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent / "greco1899"
LIBRARY = HERE / "scrape_ufc_stats_library.py"
CONFIG = HERE / "scrape_ufc_stats_config.yaml"
MODULE_NAME = "scrape_ufc_stats_library"


@cache
def library() -> ModuleType:
    """Their library module, imported once under its own name."""
    spec = importlib.util.spec_from_file_location(MODULE_NAME, LIBRARY)
    if spec is None or spec.loader is None:  # pragma: no cover - file is committed
        raise ImportError(f"cannot load {LIBRARY}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[MODULE_NAME] = module
    spec.loader.exec_module(module)
    return module


@cache
def config() -> dict[str, Any]:
    """Their configuration (column names, the events-list URL)."""
    with CONFIG.open(encoding="utf-8") as fh:
        return dict(yaml.safe_load(fh))
