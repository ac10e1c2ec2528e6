"""Generation benchmark: our generator against openapi-python-client on the same documents.

Every run is a fresh child process writing into an empty output folder (a full
regeneration); our generator also gets an empty model cache (``GPUWORKERS_CACHE_DIR``), so
nothing is reused between runs unless a row says so.  The two generators alternate run by
run, so both see the same machine load.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.measure import CommandFailed, Sample, median, run
from bench.synth import make_document

REPO = Path(__file__).resolve().parent.parent
PROVIDER_TOML = """\
name = "{name}"
display_name = "{name}"
client_name = "{client}"
base_url = "https://api.example.com"

[[pages]]
file = "openapi.json"
format = "openapi"
"""


@dataclass
class Row:
    label: str
    operations: int
    ours: list[Sample] = field(default_factory=list)
    peer: list[Sample] = field(default_factory=list)
    peer_error: str = ""  # the peer could not generate this input

    def stat(self, who: str, attribute: str) -> float:
        return median([getattr(s, attribute) for s in getattr(self, who)])


@dataclass(frozen=True)
class Input:
    label: str
    name: str  # our provider name
    document: Path

    @property
    def operations(self) -> int:
        paths = json.loads(self.document.read_text("utf-8")).get("paths", {})
        methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
        return sum(1 for item in paths.values() for key in item if key in methods)


def synthetic_inputs(work: Path, sizes: list[int]) -> list[Input]:
    inputs = []
    for size in sizes:
        path = work / "documents" / f"synth-{size}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(make_document(size), indent=2) + "\n", "utf-8")
        inputs.append(Input(f"synthetic {size:,}", "synth", path))
    return inputs


def provider_inputs() -> list[Input]:
    exports = sorted((REPO / "generated" / "openapi").glob("*.json"))
    return [
        Input(f"{p.stem} (normalized export)", p.stem, p)
        for p in exports
        if (REPO / "specs" / p.stem / "provider.toml").is_file()
    ]


def _provider_toml(name: str) -> str:
    """The provider's own settings (envelope, auth, ...) with the export as its one page;
    a minimal file for a synthetic document."""
    real = REPO / "specs" / name / "provider.toml"
    if not real.is_file():
        return PROVIDER_TOML.format(name=name, client=name.capitalize())
    kept, in_pages = [], False
    for line in real.read_text("utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            in_pages = stripped == "[[pages]]"
        if not in_pages:
            kept.append(line)
    page = '\n[[pages]]\nfile = "openapi.json"\nformat = "openapi"\n'
    # The page table goes before the first table so top-level keys stay top-level.
    first_table = next(
        (i for i, line in enumerate(kept) if line.strip().startswith("[")), len(kept)
    )
    return "\n".join(kept[:first_table]) + page + "\n".join(kept[first_table:]) + "\n"


class Runner:
    """Builds the two commands for one input and runs them in fresh folders."""

    def __init__(self, work: Path, peer_exe: str) -> None:
        self.work = work
        self.peer_exe = peer_exe
        self.bin_dir = str(Path(sys.executable).parent)

    def ours(self, item: Input) -> Sample:
        root = self.work / "ours" / item.name
        shutil.rmtree(root, ignore_errors=True)
        page_dir = root / "specs" / item.name
        page_dir.mkdir(parents=True)
        shutil.copy(item.document, page_dir / "openapi.json")
        (page_dir / "provider.toml").write_text(_provider_toml(item.name), "utf-8")
        return self.generate_ours(root / "specs", root / "out", cache=root / "cache")

    def generate_ours(
        self, specs: Path, out: Path, *, cache: Path, only: tuple[str, ...] = ()
    ) -> Sample:
        command = [sys.executable, "-m", "generator", "--specs", str(specs), "--out", str(out)]
        env = {**os.environ, "GPUWORKERS_CACHE_DIR": str(cache), "PYTHONDONTWRITEBYTECODE": "1"}
        return run([*command, "generate", *only], cwd=REPO, env=env)

    def peer(self, item: Input) -> Sample:
        out = self.work / "peer" / item.name
        shutil.rmtree(out, ignore_errors=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "PATH": self.bin_dir + os.pathsep + os.environ.get("PATH", "")}
        command = [
            self.peer_exe,
            "generate",
            "--path",
            str(item.document),
            "--output-path",
            str(out),
        ]
        return run(command, env=env)


def compare(
    runner: Runner,
    items: list[Input],
    *,
    reps: Callable[[int], tuple[int, int]],
    log: Callable[[str], None],
) -> list[Row]:
    """``reps(operations)`` gives (warm-up runs, measured runs) of each generator."""
    rows = []
    for item in items:
        row = Row(item.label, item.operations)
        warmups, measured = reps(row.operations)
        for index in range(warmups + measured):
            ours = runner.ours(item)
            peer = None if row.peer_error else _peer_or_error(runner, item, row)
            if index >= warmups:
                row.ours.append(ours)
                if peer is not None:
                    row.peer.append(peer)
            log(
                f"  {item.label}: ours {ours.wall:.2f} s / {ours.tree_mb:.0f} MB, "
                + (f"peer {peer.wall:.2f} s / {peer.tree_mb:.0f} MB" if peer else "peer failed")
                + (" (warm-up)" if index < warmups else "")
            )
        rows.append(row)
    return rows


def _peer_or_error(runner: Runner, item: Input, row: Row) -> Sample | None:
    try:
        return runner.peer(item)
    except CommandFailed as exc:
        problems = [line for line in str(exc).splitlines() if line.startswith("error:")]
        row.peer_error = (problems or str(exc).splitlines()[1:2] or ["failed"])[0]
        return None


@dataclass
class ProviderTimes:
    cold: list[Sample] = field(default_factory=list)  # empty output folder, empty cache
    warm: list[Sample] = field(default_factory=list)  # again, output and cache in place
    one_changed: list[Sample] = field(default_factory=list)  # one page edited, `generate <p>`
    changed_provider: str = ""


def providers_from_pages(runner: Runner, *, runs: int, log: Callable[[str], None]) -> ProviderTimes:
    """All providers from their pages (specs/): cold, warm, and after one page changed."""
    times = ProviderTimes()
    root = runner.work / "pages"
    specs, out, cache = root / "specs", root / "out", root / "cache"
    names = sorted(p.parent.name for p in (REPO / "specs").glob("*/provider.toml"))
    times.changed_provider = "yotta" if "yotta" in names else names[0]
    for index in range(runs + 1):  # the first round is a warm-up
        for folder in (specs, out, cache):
            shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(REPO / "specs", specs)
        cold = runner.generate_ours(specs, out, cache=cache)
        warm = runner.generate_ours(specs, out, cache=cache)
        page = _first_page(specs / times.changed_provider)
        page.write_text(page.read_text("utf-8") + "\n", "utf-8")
        changed = runner.generate_ours(specs, out, cache=cache, only=(times.changed_provider,))
        log(
            f"  providers from pages: cold {cold.wall:.2f} s, warm {warm.wall:.2f} s, "
            f"{times.changed_provider} changed {changed.wall:.2f} s"
            + (" (warm-up)" if not index else "")
        )
        if index:
            times.cold.append(cold)
            times.warm.append(warm)
            times.one_changed.append(changed)
    return times


def _first_page(directory: Path) -> Path:
    import tomllib

    spec = tomllib.loads((directory / "provider.toml").read_text("utf-8"))
    return directory / spec["pages"][0]["file"]
