# Stage _build/executed as a book source tree: the executed notebooks of chapters/ (those not executed in
# this run are copied from the committed ones), links to everything else, and the configuration with
# execution off, so that jupyter-book renders exactly what scripts/execute_notebooks.py --out computed.
# Sourced by scripts/book and scripts/chapter after _setup.sh.
stage_book() {
  local dest=_build/executed
  mkdir -p "$dest/chapters"
  local f
  for f in chapters/*; do
    case "$f" in
      *.ipynb) [ -e "$dest/$f" ] || cp "$f" "$dest/$f" ;;
      *) ln -sfn "$PWD/$f" "$dest/$f" ;;
    esac
  done
  for f in _toc.yml references.bib scripts data; do
    ln -sfn "$PWD/$f" "$dest/$f"
  done
  sed -e 's/^\(  *execute_notebooks:\).*/\1 "off"/' _config.yml > "$dest/_config.yml"
  grep -q 'execute_notebooks: "off"' "$dest/_config.yml"
}
