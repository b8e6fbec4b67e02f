"""Command line of the report build: python -m analysis.publish makefile | check | run NAME | index."""

from __future__ import annotations

import sys

from analysis.paths import OutsideOutputs
from analysis.publish.config import ConfigError, load_config
from analysis.publish.execute import run_report
from analysis.publish.index import build_index, check_regions
from analysis.publish.makerules import write_makefile


def main(argv: list[str]) -> None:
    """Command line: makefile | check | run NAME | index; a bad configuration is one line and exit 2."""
    try:
        match argv:
            case ["makefile"]:
                write_makefile()
            case ["check"]:
                check_regions(load_config())
            case ["run", name]:
                run_report(name)
            case ["index"]:
                build_index()
            case _:
                raise SystemExit("usage: python -m analysis.publish makefile | check | run NAME | index")
    except (ConfigError, OutsideOutputs) as err:
        print(f"error: {err}", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main(sys.argv[1:])
