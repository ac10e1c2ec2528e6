"""``mypy --strict`` over a user's script (typed_scripts/): what the types promise holds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPTS = Path(__file__).parent / "typed_scripts"


def test_user_script_is_mypy_strict_clean(tmp_path: Path) -> None:
    script = SCRIPTS / "responses_pages_timestamps.py"
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental",
         "--cache-dir", str(tmp_path), str(script)],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
