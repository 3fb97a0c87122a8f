#!/bin/sh
# azd prepackage hook, run in an app folder after its build. The apps are npm workspaces, so their
# dependencies live in the repository's root node_modules; a deployment package needs its own.
# This installs the app's production dependencies into <app>/node_modules from outside the workspace.
set -eu

app_dir=$(pwd)
work_dir=$(mktemp -d)
trap 'rm -rf "$work_dir"' EXIT

cp "$app_dir/package.json" "$work_dir/package.json"
(cd "$work_dir" && npm install --omit=dev --no-package-lock --no-audit --no-fund --ignore-scripts)

rm -rf "$app_dir/node_modules"
mv "$work_dir/node_modules" "$app_dir/node_modules"
