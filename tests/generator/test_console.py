"""Progress: a live display on a terminal, one line per stage elsewhere, nothing when quiet."""

from __future__ import annotations

import io

from generator import console


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_the_live_display_with_a_bar_for_chunks() -> None:
    out = _Terminal()
    shown = console.progress(out, ["acme"], quiet=False)
    assert isinstance(shown, console.LiveProgress)
    shown.stage("acme", "models")
    shown.advance("acme", 3, 12)
    shown._live.refresh()
    shown.stop()
    assert "acme" in out.getvalue() and "3/12" in out.getvalue()


def test_a_pipe_gets_one_line_per_stage_and_quiet_gets_none() -> None:
    out = io.StringIO()
    shown = console.progress(out, ["acme"], quiet=False)
    shown.stage("acme", "reading")
    shown.advance("acme", 1, 2)
    assert out.getvalue() == "acme: reading\n"
    quiet = io.StringIO()
    console.progress(quiet, ["acme"], quiet=True).stage("acme", "reading")
    assert quiet.getvalue() == ""
