"""Bundle the dataset into wheels, but not into editable installs.

An editable install reads the checkout's own `data/` (see `dprkhr.layout.bundled_data_root`).
Copied into site-packages it would be a stale second dataset, and a `dprkhr` folder
holding only `data/` that Python takes for the package itself once the checkout has
moved: `No module named 'dprkhr.cli'` instead of a plain missing package.
"""

from __future__ import annotations

import os
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name == "wheel" and version == "standard":
            build_data["force_include"][os.path.join(self.root, "data")] = "dprkhr/data"
