"""Every sentence follows its parameters: a chapter re-executed with another N_ELECTIONS says the new number only."""

import json
import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
GLUE = re.compile(r"\{glue:text\}`([^`:]+)(?::[^`]*)?`")


def rendered_text(nb) -> str:
    """The page's words: markdown with every glue:text filled in (unformatted), figure captions and text outputs."""
    glued = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                glued[name] = out["data"]["application/papermill.record/text/plain"].strip("'\"")
    parts = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            parts.append(GLUE.sub(lambda m: glued[m.group(1)], cell.source))
        else:
            parts.append(json.dumps(cell.metadata.get("mystnb", {})))
            for out in cell.get("outputs", []):
                parts.append(out.get("text", ""))
                parts.append(out.get("data", {}).get("text/markdown", ""))
    return "\n".join(parts)


def test_changing_n_elections_changes_every_number_that_depends_on_it(tmp_path):
    nb = nbformat.read(ROOT / "chapters" / "mining.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and "N_ELECTIONS = 10_000" in c.source)
    cell.source = cell.source.replace("N_ELECTIONS = 10_000", "N_ELECTIONS = 2_000")
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "chapters")}}
    ).execute()
    text = rendered_text(nb)
    assert "2,000 elections" in text and "2,000 simulated elections" in text
    stale = [text[max(0, m.start() - 60) : m.end() + 20] for m in re.finditer(r"10,000|10000", text)]
    # the one sentence that keeps 10,000 reports the paper's own number
    assert all("The paper runs 10,000 elections" in s for s in stale), stale
