"""Check that `dprkhr lint` gives exactly the output of a reference version of dprkhr.

    python benchmarks/lint_equivalence.py --reference /path/to/old/src [--datasets ...]

The reference is another checkout's `src` folder (for instance `git archive <rev> src`),
run with `--no-cache`. Each dataset (`bundled`, or a number of generated records) is copied
to a scratch folder and edited step by step (a file changed, added, deleted, an id renamed
and restored, a duplicate id, a near-duplicate actor, suppressions added and removed, a
vocabulary changed, an edit that keeps size and modification time, broken YAML, ...). After
each step this version's lint runs three ways: cold (an empty cache), warm (the cache
carried from step to step, once right after the edit and once after the edited files are
aged past the racy window), and with `--no-cache`; every output (JSON, all fields) and exit
status must equal the reference's. Options (`--select`, `--ignore`, `--archive`, paths,
`--format text`, `--changed`) are checked at the end. Exits 1 on the first difference.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

Step = tuple[str, Callable[[Path], list[Path]]]


def run(src: Path | None, cache: Path | None, data: Path, args: list[str], cwd: Path) -> str:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    else:
        env["PYTHONPATH"] = str(REPO / "src")
    options = ["--data", str(data)]
    if cache is None:
        options.append("--no-cache")
    else:
        env["DPRKHR_CACHE_DIR"] = str(cache)
    done = subprocess.run(
        [sys.executable, "-m", "dprkhr", *options, "lint", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    return f"exit {done.returncode}\n{done.stdout}"


def age(paths: list[Path]) -> None:
    """Move modification times out of the racy window (and away from their old values)."""
    past = time.time_ns() - 30_000_000_000
    for n, path in enumerate(paths):
        if path.exists():
            os.utime(path, ns=(past + n, past + n))


def first(folder: Path, pattern: str = "*.yaml") -> Path:
    return sorted(folder.glob(pattern))[0]


def steps(root: Path, lint_warm: Callable[[], object]) -> list[Step]:
    actors = sorted((root / "actors").glob("*.yaml"))
    actor_a, actor_b, victim = actors[0], actors[1], actors[2]
    event = first(root / "events")
    source_id = first(root / "sources").stem

    def change(_root: Path) -> list[Path]:
        text = event.read_text(encoding="utf-8")
        event.write_text(text.replace("title:", "title: Changed", 1), encoding="utf-8")
        return [event]

    def add(_root: Path) -> list[Path]:
        path = root / "events" / "2031-01-02-added.yaml"
        path.write_text(
            "id: 2031-01-02-added\n"
            'date: "2031-01-02"\n'
            "type: statement\n"
            "title: An added event\n"
            "participants:\n"
            f"  - actor: {actor_a.stem}\n"
            "  - actor: nobody-at-all\n"
            f"  - actor: {actor_b.stem}x\n"
            "sources:\n"
            f"  - source: {source_id}\n",
            encoding="utf-8",
        )
        return [path]

    def delete(_root: Path) -> list[Path]:
        victim.unlink()
        return []

    def restore(_root: Path) -> list[Path]:
        victim.write_text(saved[victim], encoding="utf-8")
        return [victim]

    def rename(_root: Path) -> list[Path]:
        text = actor_b.read_text(encoding="utf-8")
        new = actor_b.with_name(f"{actor_b.stem}-renamed.yaml")
        new.write_text(text.replace(f"id: {actor_b.stem}", f"id: {new.stem}", 1), "utf-8")
        actor_b.unlink()
        return [new]

    def unrename(_root: Path) -> list[Path]:
        actor_b.with_name(f"{actor_b.stem}-renamed.yaml").unlink()
        actor_b.write_text(saved[actor_b], encoding="utf-8")
        return [actor_b]

    def duplicate(_root: Path) -> list[Path]:
        copy = actor_a.with_name(f"{actor_a.stem}-copy.yaml")
        copy.write_text(saved[actor_a], encoding="utf-8")
        return [copy]

    def near_duplicate(_root: Path) -> list[Path]:
        name = next(
            line.split(":", 1)[1].strip().strip('"')
            for line in saved[actor_a].splitlines()
            if line.startswith("name:")
        )
        kind = next(
            line.split(":", 1)[1].strip()
            for line in saved[actor_a].splitlines()
            if line.startswith("kind:")
        )
        lines = [
            f'name: "{name[0] + name[2] + name[1] + name[3:]}"'
            if line.startswith("name:")
            else line
            for line in saved[actor_b].splitlines()
        ]
        lines = [f"kind: {kind}" if line.startswith("kind:") else line for line in lines]
        actor_b.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return [actor_b]

    def suppress(_root: Path) -> list[Path]:
        text = actor_b.read_text(encoding="utf-8")
        actor_b.write_text(text + "lint:\n  ignore: [DPK501, DPK402, nonsense]\n", "utf-8")
        return [actor_b]

    def unsuppress(_root: Path) -> list[Path]:
        actor_b.write_text(saved[actor_b], encoding="utf-8")
        return [actor_b]

    def vocab_tag(_root: Path) -> list[Path]:
        tags = root / "tags.yaml"
        text = tags.read_text(encoding="utf-8")
        tags.write_text(text.rstrip("\n") + "\n  - id: zz-added-tag\n    name: Added\n", "utf-8")
        return [tags]

    def vocab_forum(_root: Path) -> list[Path]:
        forums = root / "forums.yaml"
        text = forums.read_text(encoding="utf-8")
        forums.write_text(text.replace("code: UPR", "code: UPRX", 1), encoding="utf-8")
        return [forums]

    def vocab_restore(_root: Path) -> list[Path]:
        for name in ("tags.yaml", "forums.yaml"):
            (root / name).write_text(saved[root / name], encoding="utf-8")
        return [root / "tags.yaml", root / "forums.yaml"]

    def same_size(_root: Path) -> list[Path]:
        # a file saved, linted at once, then saved again within its modification time's
        # resolution with the same size (as a quick fix does): seen by its content
        text = actor_a.read_text(encoding="utf-8")
        actor_a.write_text(text, encoding="utf-8")
        lint_warm()
        stat = os.stat(actor_a)
        swapped = text.replace("kind: person", "kind: persan", 1)
        if swapped == text:
            swapped = text.replace("kind: state", "kind: stata", 1)
        actor_a.write_text(swapped, encoding="utf-8")
        os.utime(actor_a, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        return []  # not aged: it must be seen by content

    def broken(_root: Path) -> list[Path]:
        event.write_text(saved[event] + "oops: [unclosed\n", encoding="utf-8")
        return [event]

    saved = {
        path: path.read_text(encoding="utf-8")
        for path in (actor_a, actor_b, victim, event, root / "tags.yaml", root / "forums.yaml")
    }
    return [
        ("baseline", lambda _root: []),
        ("a file changed", change),
        ("a file added", add),
        ("a referenced actor deleted", delete),
        ("the actor restored", restore),
        ("an id renamed (references dangle)", rename),
        ("the id restored (references resolve)", unrename),
        ("a duplicate id", duplicate),
        ("an actor renamed to a near-duplicate name", near_duplicate),
        ("suppressions added", suppress),
        ("suppressions removed", unsuppress),
        ("a tag added to the vocabulary", vocab_tag),
        ("a forum code changed in the vocabulary", vocab_forum),
        ("the vocabularies restored", vocab_restore),
        ("an edit keeping size and modification time, just after a lint", same_size),
        ("broken YAML", broken),
    ]


def check(label: str, outputs: dict[str, str]) -> bool:
    reference = outputs.pop("reference")
    bad = [name for name, out in outputs.items() if out != reference]
    problems = reference.count('"code"')
    status = "ok" if not bad else "DIFFERENT: " + ", ".join(bad)
    print(f"  {label}: {problems} problems, {status}", flush=True)
    if bad:
        import difflib

        diff = difflib.unified_diff(
            reference.splitlines(), outputs[bad[0]].splitlines(), "reference", bad[0], lineterm=""
        )
        print("\n".join(list(diff)[:40]))
    return not bad


def compare(name: str, source: Path, reference: Path, scratch: Path) -> bool:
    root = scratch / name / "data"
    shutil.copytree(source, root)
    cwd = scratch / name
    warm = scratch / f"{name}-cache"
    print(f"{name}: {sum(1 for _ in root.rglob('*.yaml'))} files", flush=True)
    ok = True

    def lint_warm() -> str:
        return run(None, warm, root, ["--format", "json"], cwd)

    for label, edit in steps(root, lint_warm):
        edited = edit(root)
        outputs = {
            "reference": run(reference, None, root, ["--format", "json"], cwd),
            "warm": run(None, warm, root, ["--format", "json"], cwd),
        }
        age(edited)
        outputs["warm, aged"] = run(None, warm, root, ["--format", "json"], cwd)
        outputs["warm, again"] = run(None, warm, root, ["--format", "json"], cwd)
        cold = Path(tempfile.mkdtemp(dir=scratch))
        outputs["cold"] = run(None, cold, root, ["--format", "json"], cwd)
        outputs["no cache"] = run(None, None, root, ["--format", "json"], cwd)
        ok = check(label, outputs) and ok
    archive = scratch / f"{name}-archive"
    archive.mkdir()
    for path in sorted((root / "sources").glob("*.yaml"))[:50]:
        (archive / f"{path.stem}.txt").write_text(
            "rights sanctions commission refugees food women inquiry briefing "
            "the Special Rapporteur on North Korean human rights",
            encoding="utf-8",
        )
    events = sorted((root / "events").glob("*.yaml"))
    options = [
        ["--select", "DPK2"],
        ["--ignore", "DPK601,DPK5"],
        ["--select", "DPK6", "--archive", str(archive)],
        ["--archive", str(archive)],
        [str(root / "events")],
        [str(events[0]), str(events[-1])],
    ]
    for args in options:
        outputs = {
            "reference": run(reference, None, root, ["--format", "json", *args], cwd),
            "warm": run(None, warm, root, ["--format", "json", *args], cwd),
            "cold": run(
                None, Path(tempfile.mkdtemp(dir=scratch)), root, ["--format", "json", *args], cwd
            ),
        }
        ok = check(" ".join(a.replace(str(scratch), "…") for a in args), outputs) and ok
    outputs = {
        "reference": run(reference, None, root, ["--format", "text"], cwd),
        "warm": run(None, warm, root, ["--format", "text"], cwd),
    }
    ok = check("--format text", outputs) and ok
    # --changed: a repository, a commit, then changes
    git = ["git", "-c", "user.email=x@example.org", "-c", "user.name=x"]
    subprocess.run([*git, "init", "-q"], cwd=cwd, check=True)
    subprocess.run([*git, "add", "-A"], cwd=cwd, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=cwd, check=True)
    sorted((root / "actors").glob("*.yaml"))[3].unlink()
    events[1].write_text(events[1].read_text(encoding="utf-8") + "tags: [nope]\n", "utf-8")
    outputs = {
        "reference": run(reference, None, root, ["--format", "json", "--changed", "HEAD"], cwd),
        "warm": run(None, warm, root, ["--format", "json", "--changed", "HEAD"], cwd),
    }
    ok = check("--changed HEAD", outputs) and ok
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, required=True, help="the old version's src")
    parser.add_argument("--datasets", default="bundled,1000")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="dprkhr-equivalence-"))
    ok = True
    try:
        for name in args.datasets.split(","):
            if name == "bundled":
                source = REPO / "data"
            else:
                source = scratch / f"generated-{name}"
                generate(source, int(name), seed=1)
            ok = compare(name, source, args.reference.resolve(), scratch) and ok
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    print("all equal" if ok else "DIFFERENCES FOUND")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
