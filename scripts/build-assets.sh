#!/usr/bin/env bash
# Build Harbour's front-end into assets/dist/, which Django serves at /static/ (STATICFILES_DIRS).
# Called by `make assets` (which decides whether anything changed) and by the Dockerfile, so
# both build the same files. Needs node_modules from `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."

govuk=node_modules/govuk-frontend/dist/govuk
dist=assets/dist
if [ ! -d "$govuk" ] || [ ! -x node_modules/.bin/sass ]; then
  echo "node_modules is missing govuk-frontend or sass: run npm ci (or make assets)." >&2
  exit 1
fi

start=${EPOCHREALTIME/./}
# Build into a fresh folder and swap it in, so a failed build never leaves half an assets/dist.
tmp=$(mktemp -d assets/.dist.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# GOV.UK Frontend's JavaScript is an ES module: load it with <script type="module"> and call
# initAll(). The source map is copied so browsers' developer tools do not log a 404.
cp "$govuk/govuk-frontend.min.js" "$govuk/govuk-frontend.min.js.map" "$tmp/"
# Images (the footer CSS refers to images/govuk-crest.svg) and the web manifest that lists them.
# The fonts are deliberately not copied: Harbour is not on gov.uk and must not use GDS Transport.
cp -r "$govuk/assets/images" "$tmp/images"
cp "$govuk/assets/manifest.json" "$tmp/manifest.json"

# --load-path lets harbour.scss say @use "govuk-frontend/dist/govuk"; --quiet-deps hides
# deprecation warnings from inside govuk-frontend that we cannot fix.
node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps \
  assets/harbour.scss "$tmp/harbour.css"

# Guard the two rules for services not on gov.uk, so a change to harbour.scss cannot quietly
# bring the GDS Transport font back or point images at /assets/ (which Django does not serve).
if grep -q 'GDS Transport\|@font-face' "$tmp/harbour.css"; then
  echo "harbour.css contains the GDS Transport font: check assets/harbour.scss" >&2
  exit 1
fi
if grep -o 'url([^)]*)' "$tmp/harbour.css" | grep -qv '/static/'; then
  echo "harbour.css has a url() outside /static/: check \$govuk-assets-path" >&2
  exit 1
fi

rm -rf "$dist"
mv "$tmp" "$dist"
chmod 755 "$dist"
trap - EXIT
echo "==> built $dist ($(( (${EPOCHREALTIME/./} - start) / 1000 )) ms)"
