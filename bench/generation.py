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
import uuid
from collections.abc import Callable, Iterator
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
file = "{page}"
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
    def page(self) -> str:
        return "openapi" + self.document.suffix

    @property
    def operations(self) -> int:
        import yaml

        text = self.document.read_text("utf-8")
        loaded = json.loads(text) if self.document.suffix == ".json" else yaml.safe_load(text)
        paths = loaded.get("paths", {})
        methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
        return sum(1 for item in paths.values() for key in item if key in methods)

    @property
    def large(self) -> bool:
        """Megabytes of document: measured fewer times, without a warm-up."""
        return self.document.stat().st_size > 1_000_000


def synthetic_inputs(work: Path, sizes: list[int]) -> list[Input]:
    inputs = []
    for size in sizes:
        path = work / "documents" / f"synth-{size}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(make_document(size), indent=2) + "\n", "utf-8")
        inputs.append(Input(f"synthetic {size:,}", "synth", path))
    return inputs


def public_inputs() -> list[Input]:
    """The documents of ``../shared/public-specs/`` (as the corpus harness finds them)."""
    from tests.corpus.documents import corpus_documents, provider_name, public_specs

    folder = public_specs()
    if folder is None:
        return []
    return [Input(p.name, provider_name(p), p) for p in corpus_documents(folder)]


def provider_inputs() -> list[Input]:
    exports = sorted((REPO / "generated" / "openapi").glob("*.json"))
    return [
        Input(f"{p.stem} (normalized export)", p.stem, p)
        for p in exports
        if (REPO / "specs" / p.stem / "provider.toml").is_file()
    ]


def _provider_toml(name: str, page: str) -> str:
    """The provider's own settings (envelope, auth, ...) with the export as its one page;
    a minimal file for another document."""
    real = REPO / "specs" / name / "provider.toml"
    if not real.is_file():
        client = "".join(part.capitalize() for part in name.split("_"))
        return PROVIDER_TOML.format(name=name, client=client, page=page)
    kept, in_pages = [], False
    for line in real.read_text("utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            in_pages = stripped == "[[pages]]"
        if not in_pages:
            kept.append(line)
    page = f'\n[[pages]]\nfile = "{page}"\nformat = "openapi"\n'
    # The page table goes before the first table so top-level keys stay top-level.
    first_table = next(
        (i for i, line in enumerate(kept) if line.strip().startswith("[")), len(kept)
    )
    return "\n".join(kept[:first_table]) + page + "\n".join(kept[first_table:]) + "\n"


class Runner:
    """Builds the two commands for one input and runs them in fresh folders.

    Both generators run with their bytecode cached in one private ``PYTHONPYCACHEPREFIX``
    that the first runs fill, as installed packages have theirs: without it, a checkout's
    generator (an editable install) would compile its modules on every run wherever
    ``PYTHONDONTWRITEBYTECODE`` is set, while the peer, installed by pip, never does.
    """

    def __init__(self, work: Path, peer_exe: str) -> None:
        self.work = work
        self.peer_exe = peer_exe
        self.bin_dir = str(Path(sys.executable).parent)
        self.env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")

    def ours(self, item: Input) -> Sample:
        root = self.work / "ours" / item.name
        shutil.rmtree(root, ignore_errors=True)
        page_dir = root / "specs" / item.name
        page_dir.mkdir(parents=True)
        shutil.copy(item.document, page_dir / item.page)
        (page_dir / "provider.toml").write_text(_provider_toml(item.name, item.page), "utf-8")
        return self.generate_ours(root / "specs", root / "out", cache=root / "cache")

    def generate_ours(
        self,
        specs: Path,
        out: Path,
        *,
        cache: Path,
        only: tuple[str, ...] = (),
        command: str = "generate",
    ) -> Sample:
        program = [sys.executable, "-m", "generator", "--specs", str(specs), "--out", str(out)]
        env = {**self.env, "GPUWORKERS_CACHE_DIR": str(cache)}
        return run([*program, command, *only], cwd=REPO, env=env)

    def peer(self, item: Input) -> Sample:
        out = self.work / "peer" / item.name
        shutil.rmtree(out, ignore_errors=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        env = {**self.env, "PATH": self.bin_dir + os.pathsep + os.environ.get("PATH", "")}
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
        warmups, measured = reps(-1 if item.large else row.operations)
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
class DailyLoop:
    """The maintainer's loop on the providers' pages, beside the peer on one provider's export."""

    provider: str = ""  # the provider whose page is changed, and whose export the peer gets
    samples: dict[str, list[Sample]] = field(default_factory=dict)

    def add(self, case: str, sample: Sample) -> None:
        self.samples.setdefault(case, []).append(sample)


# (case, what it is) in the order they run in one round; the peer's run comes first.
DAILY_CASES = (
    ("peer", "openapi-python-client on {p}'s export (the reference)"),
    ("cold", "`generate`, all providers, empty output and cache"),
    ("noop generate", "`generate` with nothing changed"),
    ("noop check", "`check` with nothing changed"),
    ("one page, generate", "`generate` after {p}'s page changed"),
    ("one page, generate p", "`generate {p}` after {p}'s page changed"),
    ("one page, check", "`check` after {p}'s page changed and was generated"),
)


def daily_loop(runner: Runner, *, runs: int, log: Callable[[str], None]) -> DailyLoop:
    """All providers from their pages: cold, then the daily loop, beside the peer.

    "One page changed" is a real content edit: an operation's description in the provider's
    page gets a new suffix each time, so no content-keyed cache can answer for it; a run
    whose output does not show the new text stops the benchmark.
    """
    root = runner.work / "pages"
    specs, out, cache = root / "specs", root / "out", root / "cache"
    names = sorted(p.parent.name for p in (REPO / "specs").glob("*/provider.toml"))
    loop = DailyLoop("yotta" if "yotta" in names else names[0])
    export = Input(
        f"{loop.provider} export",
        loop.provider,
        REPO / "generated" / "openapi" / f"{loop.provider}.json",
    )
    for index in range(runs + 1):  # the first round is a warm-up
        for folder in (specs, out, cache):
            shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(REPO / "specs", specs)
        edit = PageEdit.find(specs, loop.provider)
        round_: dict[str, Sample] = {"peer": runner.peer(export)}
        round_["cold"] = runner.generate_ours(specs, out, cache=cache)
        round_["noop generate"] = runner.generate_ours(specs, out, cache=cache)
        round_["noop check"] = runner.generate_ours(specs, out, cache=cache, command="check")
        edit.apply()
        round_["one page, generate"] = runner.generate_ours(specs, out, cache=cache)
        edit.verify(out)
        edit.apply()
        round_["one page, generate p"] = runner.generate_ours(
            specs, out, cache=cache, only=(loop.provider,)
        )
        edit.verify(out)
        round_["one page, check"] = runner.generate_ours(specs, out, cache=cache, command="check")
        log(
            "  daily loop: "
            + ", ".join(f"{case} {sample.wall:.2f} s" for case, sample in round_.items())
            + (" (warm-up)" if not index else "")
        )
        if index:
            for case, sample in round_.items():
                loop.add(case, sample)
    return loop


class EditMissed(RuntimeError):
    """The benchmark's edit of a page did not reach the generated client."""


@dataclass
class PageEdit:
    """A description in a provider's page (an operation's, else a parameter's or a field's),
    given a new suffix on each ``apply``: a content change that reaches the generated code,
    in any page format.

    The text is taken from the provider's IR snapshot (what the page says, as lowered) and
    every occurrence of it in the page is edited, so the format does not matter: a Markdown
    page that repeats the description above its embedded document changes in both places.
    """

    page: Path
    provider: str
    text: str  # as the page says it
    current: str = ""  # as the page says it now
    tag: str = ""

    @classmethod
    def find(cls, specs: Path, provider: str) -> PageEdit:
        import tomllib

        pages = tomllib.loads((specs / provider / "provider.toml").read_text("utf-8"))["pages"]
        snapshot = json.loads((REPO / "generated" / "ir" / f"{provider}.json").read_text("utf-8"))
        for text in _descriptions(snapshot):
            if len(text) < 12 or "\n" in text:
                continue
            for entry in pages:
                page = specs / provider / entry["file"]
                if text in page.read_text("utf-8"):
                    return cls(page, provider, text, current=text)
        raise EditMissed(f"no description of {provider}'s IR found verbatim in its pages")

    def apply(self) -> None:
        """Give the text a suffix no earlier run has seen."""
        self.tag = f"rev{uuid.uuid4().hex[:10]}"
        edited = f"{self.text} {self.tag}"
        before = self.page.read_text("utf-8")
        self.page.write_text(before.replace(self.current, edited), "utf-8")
        self.current = edited

    def verify(self, out: Path) -> None:
        package = out / "src" / "gpuworkers" / self.provider
        if not any(self.tag in path.read_text("utf-8") for path in package.glob("*.py")):
            raise EditMissed(
                f"the edit of {self.page.name} ({self.text!r} + {self.tag!r}) did not reach "
                f"{package}/: the one-page rows would not measure a content change"
            )


def _descriptions(node: object) -> Iterator[str]:
    """The descriptions and summaries in an IR snapshot, operations' first."""
    if isinstance(node, dict):
        for key in ("description", "summary"):
            if isinstance(node.get(key), str):
                yield node[key]
        for key, value in node.items():
            if key == "resources":
                yield from _descriptions(value)
        for key, value in node.items():
            if key != "resources":
                yield from _descriptions(value)
    elif isinstance(node, list):
        for item in node:
            yield from _descriptions(item)
