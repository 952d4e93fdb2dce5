"""Time whole `dprkhr` processes on generated datasets, side by side with peer tools.

    python benchmarks/run.py [--sizes 1000,10000,100000] [--runs 5] [--peers] [--out DIR]

For each size it generates a dataset (benchmarks/generate.py, fixed seed), then runs each
command several times after one warm-up and prints the median, min and max wall time and
the peak memory (max RSS) of the process. "cold" runs start with an empty cache folder;
"warm" runs reuse the cache the warm-up wrote; "one changed" rewrites one record before
each run. With --peers (and the `bench` extra installed) it also times, on the same files,
`yamllint -d relaxed`, `check-jsonschema` with the exported schemas, and a floor of plain
`yaml.load(CSafeLoader)` over every file. The bundled dataset is measured too.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402


@dataclass
class Figure:
    label: str
    times: list[float]
    peak_kib: int
    exit_codes: set[int]

    def row(self, size: str) -> str:
        med = statistics.median(self.times)
        return (
            f"| {size} | {self.label} | {med:.3f} | {min(self.times):.3f} | "
            f"{max(self.times):.3f} | {self.peak_kib / 1024:.0f} | {len(self.times)} |"
        )


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Wall time, peak RSS (KiB) and exit code of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def measure(
    label: str,
    argv: list[str],
    env: dict[str, str],
    runs: int,
    before: Callable[[], None] = lambda: None,
    warmup: bool = True,
) -> Figure:
    if warmup:
        before()
        timed(argv, env)
    times, peak, codes = [], 0, set()
    for _ in range(runs):
        before()
        elapsed, rss, code = timed(argv, env)
        times.append(elapsed)
        peak = max(peak, rss)
        codes.add(code)
    return Figure(label, times, peak, codes)


def dprkhr() -> list[str]:
    """The `dprkhr` command as users run it: the console script beside this Python."""
    script = Path(sys.executable).with_name("dprkhr")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "dprkhr"]


def bench_dataset(
    root: Path,
    size: str,
    runs: int,
    peers: bool,
    actor: str,
    text: str,
    lint: bool = True,
    cold: bool = True,
) -> list[str]:
    cache = Path(tempfile.mkdtemp(prefix="dprkhr-bench-cache-"))
    env = {**os.environ, "DPRKHR_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    # time dprkhr as installed: with its bytecode compiled, as pip does (this VM sets
    # PYTHONDONTWRITEBYTECODE, which would make every import compile its source again)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    data = ["--data", str(root)]

    def clear_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    victim = next((root / "events").glob("*.yaml"))
    original = victim.read_text(encoding="utf-8")
    flip = [False]

    def change_one() -> None:
        flip[0] = not flip[0]
        victim.write_text(original + ("# touched\n" if flip[0] else ""), encoding="utf-8")

    rows = []
    figures = [
        measure("`--version`", [*dprkhr(), "--version"], env, runs),
        *(
            [
                measure(
                    f"`events --actor {actor}` cold",
                    [*dprkhr(), *data, "events", "--actor", actor],
                    env,
                    runs,
                    clear_cache,
                )
            ]
            if cold
            else []
        ),
        measure(
            f"`events --actor {actor}` warm",
            [*dprkhr(), *data, "events", "--actor", actor],
            env,
            runs,
        ),
        measure(
            f"`events --actor {actor}` warm, one file changed",
            [*dprkhr(), *data, "events", "--actor", actor],
            env,
            runs,
            change_one,
        ),
        *(
            [
                measure("`lint` cold", [*dprkhr(), *data, "lint"], env, runs, clear_cache),
                measure("`lint` warm, nothing changed", [*dprkhr(), *data, "lint"], env, runs),
                measure(
                    "`lint` warm, one file changed",
                    [*dprkhr(), *data, "lint"],
                    env,
                    runs,
                    change_one,
                ),
            ]
            if lint
            else []
        ),
        measure(f"`show {actor}` warm", [*dprkhr(), *data, "show", actor], env, runs),
        measure(f"`related {actor}` warm", [*dprkhr(), *data, "related", actor], env, runs),
        measure(
            f"`timeline --actor {actor}` warm",
            [*dprkhr(), *data, "timeline", "--actor", actor],
            env,
            runs,
        ),
        measure(f"`votes {actor}` warm", [*dprkhr(), *data, "votes", actor], env, runs),
        measure(
            "`votes --matrix --format csv` warm",
            [*dprkhr(), *data, "votes", "--matrix", "--format", "csv"],
            env,
            runs,
        ),
        measure("`stats` warm", [*dprkhr(), *data, "stats"], env, runs),
        measure("`actors` warm", [*dprkhr(), *data, "actors"], env, runs),
        measure(
            f"`events --text {text}` warm",
            [*dprkhr(), *data, "events", "--text", text, "--format", "ids"],
            env,
            runs,
        ),
        measure("`export json` warm", [*dprkhr(), *data, "export", "json"], env, runs),
        measure(f"`search {text}` warm", [*dprkhr(), *data, "search", text], env, runs),
        measure(
            f"completion `events --actor {actor[:3]}<TAB>` warm (bash)",
            dprkhr(),
            {
                **env,
                "_DPRKHR_COMPLETE": "complete_bash",
                "COMP_WORDS": f"dprkhr --data {root} events --actor {actor[:3]}",
                "COMP_CWORD": "5",
            },
            runs,
        ),
    ]
    victim.write_text(original, encoding="utf-8")
    if peers:
        files = [str(p) for p in sorted(root.rglob("*.yaml"))]
        floor = (
            "import sys, yaml\n"
            "for p in sys.argv[1:]:\n"
            "    with open(p, 'rb') as f:\n"
            "        try: yaml.load(f, Loader=yaml.CSafeLoader)\n"
            "        except yaml.YAMLError: pass\n"
        )
        list_file = cache.parent / f"files-{size}.txt"
        list_file.write_text("\n".join(files))
        figures.append(
            measure(
                "floor: `yaml.load(CSafeLoader)` per file",
                [
                    sys.executable,
                    "-c",
                    floor.replace("sys.argv[1:]", f"open({str(list_file)!r}).read().split()"),
                ],
                env,
                max(1, runs // 2),
                warmup=False,
            )
        )
        if shutil.which("yamllint"):
            figures.append(
                measure(
                    "peer: `yamllint -d relaxed`",
                    ["yamllint", "-d", "relaxed", str(root)],
                    env,
                    1,
                    warmup=False,
                )
            )
        checker = shutil.which("check-jsonschema")
        schema_dir = REPO / "schemas"
        if checker and (schema_dir / "event.schema.json").is_file():
            script = " && ".join(
                f"find {root / folder} -name '*.yaml' -print0 | "
                f"xargs -0 {checker} --schemafile {schema_dir / f'{kind}.schema.json'}"
                for kind, folder in (
                    ("actor", "actors"),
                    ("event", "events"),
                    ("resolution", "resolutions"),
                    ("source", "sources"),
                )
            )
            figures.append(
                measure(
                    "peer: `check-jsonschema` (4 schemas)",
                    ["bash", "-c", script],
                    env,
                    1,
                    warmup=False,
                )
            )
    for figure in figures:
        rows.append(figure.row(size))
        print(rows[-1], flush=True)
    shutil.rmtree(cache, ignore_errors=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--peers", action="store_true", help="also time yamllint, check-jsonschema and the floor"
    )
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "dprkhr-bench")
    parser.add_argument("--no-lint", action="store_true", help="time the queries only")
    parser.add_argument(
        "--no-cold", action="store_true", help="leave out the cold runs (one store is built)"
    )
    parser.add_argument("--no-bundled", action="store_true", help="leave out the bundled dataset")
    args = parser.parse_args()

    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(REPO / "src" / "dprkhr")],
        check=False,
        stdout=subprocess.DEVNULL,
    )
    print(
        f"# {platform.node()} · {platform.machine()} · {os.cpu_count()} cores · Python {platform.python_version()} · {time.strftime('%Y-%m-%d')}"
    )
    print("| dataset | command | median s | min s | max s | peak MiB | runs |")
    print("|---|---|---|---|---|---|---|")
    lint = not args.no_lint
    if not args.no_bundled:
        bench_dataset(
            REPO / "data",
            "bundled",
            args.runs,
            False,
            "Salmon",
            "Commission of Inquiry",
            lint,
            not args.no_cold,
        )
    for size in (int(s) for s in args.sizes.split(",") if s):
        root = args.out / f"{size}"
        if not (root / "events").is_dir():
            generate(root, size, seed=1)
        runs = args.runs if size <= 10_000 else max(1, args.runs // 2)
        bench_dataset(
            root,
            f"{size:,}",
            runs,
            args.peers,
            "actor-000010",
            "accountability inquiry",
            lint,
            not args.no_cold,
        )


if __name__ == "__main__":
    main()
