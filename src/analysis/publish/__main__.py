"""Command line of the report build: python -m analysis.publish makefile | check | run NAME | index."""

from __future__ import annotations

import sys

# jsonschema (imported by nbformat) imports rfc3987_syntax when it is installed, only to check
# "iri" string formats; nbformat, nbclient and nbconvert never ask for format checking, and
# building that package's Earley grammar costs about 2 s per process. The build skips it.
sys.modules.setdefault("rfc3987_syntax", None)

from analysis.paths import OutsideOutputs  # noqa: E402
from analysis.publish.config import ConfigError, load_config  # noqa: E402
from analysis.publish.execute import run_report  # noqa: E402
from analysis.publish.index import build_index, check_regions  # noqa: E402
from analysis.publish.makerules import write_makefile  # noqa: E402


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
