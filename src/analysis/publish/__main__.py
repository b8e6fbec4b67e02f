"""Command line of the report build: python -m analysis.publish makefile | run NAME | index."""

from __future__ import annotations

import sys

from analysis.publish.execute import run_report
from analysis.publish.index import build_index
from analysis.publish.makerules import write_makefile



def main(argv: list[str]) -> None:
    """Command line: makefile | run NAME | index."""
    match argv:
        case ["makefile"]:
            write_makefile()
        case ["run", name]:
            run_report(name)
        case ["index"]:
            build_index()
        case _:
            raise SystemExit("usage: python -m analysis.publish makefile | run NAME | index")


if __name__ == "__main__":
    main(sys.argv[1:])
