#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine with the .NET 10 SDK lacks, and nothing that is already there.
# Safe to run again. Native packages the project needs are listed here and nowhere else.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is required (https://learn.microsoft.com/dotnet/core/install/linux-debian)" >&2
  exit 1
fi

# Debian packages: name of the package for each native dependency.
packages=(
  chromium        # headless browser for the end-to-end tests (Playwright drives /usr/bin/chromium; it downloads none)
  libmujoco2.2.2  # MuJoCo 2.2.2 for the ant, humanoid and arm tasks, loaded through P/Invoke (no headers needed)
  postgresql      # PostgreSQL server binaries: the tests start a throwaway cluster of their own on loopback (Crl.Tests/Support/PostgresServer.cs)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

dotnet tool restore >/dev/null
dotnet restore Crl.Web.sln --verbosity quiet
