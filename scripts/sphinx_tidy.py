"""A local Sphinx extension for the book's HTML: no duplicate scripts, a valid theme mode.

- Some extensions (sphinx-thebe, sphinx-togglebutton) add their inline scripts
  once more under jupyter-book 1.x with Sphinx 7.4, so every page declared
  ``const THEBE_JS_URL`` twice and the browser threw a SyntaxError. Exact
  duplicates are dropped from each page's script list, keeping the first.
- The pydata theme logs a console error ("invalid theme mode") when no default
  mode is configured; the book follows the reader's system setting ("auto").
- Every page's footer names the version of ``vpt`` the book was built with
  (``vpt.__version__``, the one place the version is written), the licences and
  how to cite.
"""

from __future__ import annotations

import vpt


def _drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # an inline script is added with filename None by one path and "" by another
        key = (getattr(script, "filename", script) or "", tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    if "script_files" in context:
        context["script_files"][:] = unique


def _default_theme_mode(app, config):
    context = dict(config.html_context or {})
    context.setdefault("default_mode", "auto")
    config.html_context = context


def _version_footer(app, config):
    config.version = config.release = vpt.__version__
    options = dict(config.html_theme_options or {})
    options["extra_footer"] = (
        f'<p class="vpt-version">Built with vpt {vpt.__version__}. Code: MIT licence; text and figures: CC BY 4.0. '
        "To cite the book and the paper it reproduces, see CITATION.cff in the repository.</p>"
    )
    config.html_theme_options = options


def setup(app):
    """Register the fixes with Sphinx."""
    app.connect("config-inited", _default_theme_mode)
    app.connect("config-inited", _version_footer)
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
