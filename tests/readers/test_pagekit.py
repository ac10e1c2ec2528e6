"""The module every reader and the merge share: one method set, one curl parser."""

from __future__ import annotations

import subprocess
import sys

from generator.pagekit import parse_curl
from generator.readers import Page
from generator.readers.mdx_bullets import read_mdx_bullets
from generator.readers.text_tables import read_text_tables


def test_the_merge_places_fields_with_the_shared_module_not_a_reader() -> None:
    import generator.merge
    import generator.pagekit

    # The name the merge module imported, which it does not export: looked up on purpose.
    assert generator.merge.place_fields is generator.pagekit.place_fields  # type: ignore[attr-defined]
    code = "import sys, generator.pagekit; print(sorted(m for m in sys.modules if 'readers' in m))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_curl_option_values_are_not_taken_for_the_url() -> None:
    text = "curl -d 'https://example.com/hook' \\\n  -H 'Authorization: Bearer k' \\\n  https://x.io/x"
    call = parse_curl(text)
    assert not isinstance(call, str)
    assert call.url == "https://x.io/x" and call.data == "https://example.com/hook"
    assert call.headers == [("Authorization", "Bearer k", 1)]


_MDX = """# [https://api.example.com/hooks/](https://api.example.com/hooks/)

## Inputs

* `url` (string): Where to call back.

```bash
curl --data 'https://example.com/callback' https://api.example.com/hooks/
```
"""


def test_mdx_and_text_pages_read_curl_alike() -> None:
    mdx = read_mdx_bullets(Page("hooks.mdx", _MDX))
    assert "post" in mdx.document["paths"]["/hooks/"]
    assert not [d for d in mdx.diagnostics if "curl" in d.message]
    text = read_text_tables(
        Page(
            "hooks.txt",
            "Hooks\nAdd a hook\nhttps://api.example.com/hooks\n"
            "curl --data 'https://example.com/callback' https://api.example.com/hooks\n",
        )
    )
    assert "post" in text.document["paths"]["/hooks"]
