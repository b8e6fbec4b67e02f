"""Command line of the report build: python -m analysis.publish (see main)."""

from __future__ import annotations

import sys

if __name__ == "__main__" and sys.argv[1:2] != ["template"]:
    # In `make reports`, a child of the build's warm interpreter runs this step, its imports done (publish.warm); run
    # by hand, or when that server refuses, it runs here as before. (The template execs another interpreter.)
    from analysis.publish.warm import hand_over

    # The steps that import little (make rules, manifests) run here rather than wait for a server still importing.
    hand_over("analysis.publish", patience=0.2 if sys.argv[1:2] in (["makefile"], ["inputs"], ["why"]) else None)

# jsonschema (imported by nbformat) imports rfc3987_syntax when it is installed, only to check
# "iri" string formats; nbformat, nbclient and nbconvert never ask for format checking, and
# building that package's Earley grammar costs about 2 s per process. The build skips it.
sys.modules.setdefault("rfc3987_syntax", None)

from analysis.paths import OutsideOutputs  # noqa: E402
from analysis.publish import inputs  # noqa: E402
from analysis.publish.config import ConfigError, load_config  # noqa: E402
from analysis.publish.makerules import BATCHES, write_makefile  # noqa: E402

# The build's own modules (papermill, nbconvert, fontTools: about 0.3 s) are imported by the commands that run or
# index reports, not by those that only write make rules or manifests, which make runs before every build.


def main(argv: list[str]) -> None:
    """Command line (a bad configuration is one line, exit 2):

    makefile                      write build/reports.mk
    check                         check every region parameter against the tables
    inputs --batch B | --index    write the reports' (or the index's) manifests of input hashes, each if changed
    build --jobs N --batch B      build the batch's reports that are out of date (page older than its manifest)
    build --jobs N NAME...        build these reports, those out of date
    run NAME                      build one report in this process
    why NAME                      what changed since the report's last build
    calibration                   write the SYNTHETIC generators' calibration extracts, each if changed
    index                         write reports/index.html
    template SOCKET               run the warm kernel template builds share, on SOCKET.<interpreter hash>
    """
    try:
        match argv:
            case ["makefile"]:
                write_makefile()
            case ["check"]:
                from analysis.publish.index import check_regions

                check_regions(load_config())
            case ["inputs", "--batch", batch] if batch in BATCHES:
                inputs.write_manifests(batch)
            case ["inputs", "--index"]:
                inputs.write_index_manifest()
            case ["run", name]:
                from analysis.publish.execute import run_report

                run_report(name)
            case ["build", "--jobs", jobs, "--batch", batch] if jobs.isdigit() and batch in BATCHES:
                from analysis.publish.execute import run_reports

                run_reports([e.name for e in load_config() if e.batch == batch and inputs.stale(e)], int(jobs))
            case ["build", "--jobs", jobs, *names] if jobs.isdigit() and names:
                # A page's own rule after `make reports`' batch: make judged the page before the batch
                # rebuilt it, so what the batch already built is not built again.
                from analysis.publish.execute import run_reports

                known = {e.name: e for e in load_config()}
                run_reports([n for n in names if n not in known or inputs.stale(known[n])], int(jobs))
            case ["why", name]:
                print(inputs.why(name))
            case ["calibration"]:
                from analysis.publish.calibration import write_extracts

                changed = write_extracts()
                print(f"SYNTHETIC calibration extracts rewritten: {', '.join(changed) or 'none'}")
            case ["template", where]:
                run_template(where)
            case ["index"]:
                from analysis.publish.index import build_index

                build_index()
            case _:
                raise SystemExit(
                    "usage: python -m analysis.publish makefile | check | inputs --batch B|--index | "
                    f"build --jobs N --batch {'|'.join(BATCHES)} | build --jobs N NAME... | run NAME | why NAME | "
                    "calibration | index | template SOCKET"
                )
    except (ConfigError, OutsideOutputs) as err:
        print(f"error: {err}", file=sys.stderr)
        raise SystemExit(2) from None


def run_template(where: str) -> None:
    """Become the warm kernel template (publish.kernels.listen) on the interpreter and flags of the project kernel's
    spec (as .venv registers it, `ipykernel install --sys-prefix`), as a build's own template runs; none without it."""
    import json
    import os
    from pathlib import Path

    from analysis.environment import KERNEL_NAME

    spec = Path(sys.prefix) / "share/jupyter/kernels" / KERNEL_NAME / "kernel.json"
    try:
        argv = json.loads(spec.read_text(encoding="utf-8"))["argv"]
        interpreter = argv[: argv.index("-m")]
    except (OSError, ValueError, KeyError):
        return
    os.execv(interpreter[0], [*interpreter, "-m", "analysis.publish.kernels", "listen", where, json.dumps(interpreter)])


if __name__ == "__main__":
    main(sys.argv[1:])
