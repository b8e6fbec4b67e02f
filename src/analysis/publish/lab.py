"""The researcher's desk: `make lab` draws Chinese with the bundled font and reloads edited helpers.

Usage: python -m analysis.publish.lab install

Writes into the project's Jupyter config dir (JUPYTER_CONFIG_DIR, inside .venv) and into the IPython
dir used only by `make lab` (LAB_IPYTHONDIR); report builds and nbval never read either.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import sys
from pathlib import Path

from analysis.atomic import write_text_if_changed
from analysis.charts.fonts import CJK_FONT_FILE, cjk_font_path

FONT_FAMILY = "Project Noto Sans SC"
# CJK radicals to Yi, compatibility ideographs, vertical and full-width forms, supplementary ideographs:
# Latin text falls through to the next family, so code stays monospaced.
CJK_UNICODE_RANGE = "U+2E80-A4CF, U+F900-FAFF, U+FE10-FE1F, U+FE30-FE4F, U+FF00-FFEF, U+20000-3134F"
UI_FONTS = 'system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif'
CODE_FONTS = 'Menlo, Consolas, "DejaVu Sans Mono", monospace'
ANNOUNCEMENTS_PLUGIN = "@jupyterlab/apputils-extension:announcements"
AUTORELOAD = {"InteractiveShellApp": {"extensions": ["autoreload"], "exec_lines": ["%autoreload 2"]}}


def custom_css() -> str:
    """Lab's custom.css: the bundled face first in every font list, wide outputs scroll sideways."""
    first = f'"{FONT_FAMILY}"'
    return (
        f'@font-face {{ font-family: {first}; src: url("{CJK_FONT_FILE}") format("opentype"); '
        f"unicode-range: {CJK_UNICODE_RANGE}; }}\n"
        f":root, .jp-ThemedContainer {{\n"
        f"  --jp-ui-font-family: {first}, {UI_FONTS} !important;\n"
        f"  --jp-content-font-family: {first}, {UI_FONTS} !important;\n"
        f"  --jp-code-font-family: {first}, {CODE_FONTS} !important;\n"
        f"}}\n"
        f".jp-OutputArea-output {{ overflow-x: auto; }}\n"
        f".jp-OutputArea-output.jp-RenderedHTMLCommon table {{ max-width: none; }}\n"
    )


def copy_font(custom: Path) -> None:
    """Copy the bundled font beside custom.css, where Lab's /custom/ handler serves it (not a symlink: it refuses those)."""
    copy = custom / CJK_FONT_FILE
    if not (copy.is_file() and filecmp.cmp(copy, cjk_font_path())):
        copy.unlink(missing_ok=True)
        shutil.copy2(cjk_font_path(), copy)


def merged_json(path: Path, update: dict) -> str:
    """The JSON file at `path` (empty if absent) with `update` merged in one level deep."""
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    for key, value in update.items():
        data[key] = {**data.get(key, {}), **value} if isinstance(value, dict) else value
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def install_jupyter(config: Path) -> None:
    """Custom CSS and font, custom CSS switched on, the news prompt switched off."""
    custom = config / "custom"
    custom.mkdir(parents=True, exist_ok=True)
    copy_font(custom)
    write_text_if_changed(custom / "custom.css", custom_css())
    lab_config = config / "jupyter_lab_config.json"
    write_text_if_changed(lab_config, merged_json(lab_config, {"LabApp": {"custom_css": True}}))
    page_config = config / "labconfig" / "page_config.json"
    disabled = {"disabledExtensions": {ANNOUNCEMENTS_PLUGIN: True}}
    write_text_if_changed(page_config, merged_json(page_config, disabled))


def install_ipython(ipython_dir: Path) -> None:
    """A kernel profile that reloads changed modules before every cell."""
    config = ipython_dir / "profile_default" / "ipython_kernel_config.json"
    write_text_if_changed(config, json.dumps(AUTORELOAD, indent=2, sort_keys=True) + "\n")


def main(argv: list[str]) -> None:
    """Command line: install."""
    match argv:
        case ["install"]:
            install_jupyter(Path(os.environ["JUPYTER_CONFIG_DIR"]))
            install_ipython(Path(os.environ["LAB_IPYTHONDIR"]))
        case _:
            raise SystemExit("usage: python -m analysis.publish.lab install")


if __name__ == "__main__":
    main(sys.argv[1:])
