#!/usr/bin/env bash
# Development tokens for Tally's security-on mode without an identity provider: an RSA key pair
# in a local folder, and RS256 JWTs signed with it, made with openssl alone.
#
#   scripts/dev-token.sh keygen          create the key pair (once; an existing pair is kept)
#   scripts/dev-token.sh token [options] print one signed JWT on stdout
#       -s, --scopes "a b"   space-separated scopes   (default: "records:write records:read feeds:read ops:read")
#       -o, --sources "a,b"  tally_sources, comma-separated, "*" for every source (default: "*")
#       -t, --ttl SECONDS    lifetime                 (default: 3600)
#       -u, --subject NAME   sub claim                (default: dev)
#   scripts/dev-token.sh public-key      print the public key's path (for public-key-location)
#
# Run Tally with the public key, then call it with the token:
#   scripts/dev-token.sh keygen
#   SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_PUBLIC_KEY_LOCATION=file:$(scripts/dev-token.sh public-key) \
#     java -jar target/tally-0.1.0-SNAPSHOT.jar
#   TOKEN=$(scripts/dev-token.sh token --scopes records:write --sources billing)
#   curl -H "Authorization: Bearer $TOKEN" ...
#
# Environment (defaults):
#   TALLY_DEV_KEY_DIR=./data/dev-keys   dev-token-key.pem (private, mode 600) and dev-token-key.pub
#
# For development only: whoever holds the private key can write every source. In production use an
# identity provider (issuer-uri / jwk-set-uri), see docs/security.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${TALLY_DEV_KEY_DIR:-$ROOT/data/dev-keys}"
PRIVATE="$DIR/dev-token-key.pem"
PUBLIC="$DIR/dev-token-key.pub"

die() { echo "dev-token.sh: $*" >&2; exit 2; }

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# A JSON string literal; the values here are scopes and sourceIds, so quotes, backslashes and
# control characters are refused rather than escaped.
json_string() {
  case "$1" in
    *[\"\\]* | *[[:cntrl:]]*) die "quotes, backslashes and control characters are not supported: $1" ;;
  esac
  printf '"%s"' "$1"
}

keygen() {
  mkdir -p "$DIR"
  if [[ -f "$PRIVATE" && -f "$PUBLIC" ]]; then
    echo "key pair exists: $PRIVATE, $PUBLIC" >&2
    return
  fi
  (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$PRIVATE" 2>/dev/null)
  openssl pkey -in "$PRIVATE" -pubout -out "$PUBLIC"
  echo "created $PRIVATE (private, keep it) and $PUBLIC (give it to Tally)" >&2
}

token() {
  local scopes="records:write records:read feeds:read ops:read" sources="*" ttl=3600 subject="dev"
  while [[ $# -gt 0 ]]; do
    case "$1" in
      -s|--scopes) scopes="${2?}"; shift 2 ;;
      -o|--sources) sources="${2?}"; shift 2 ;;
      -t|--ttl) ttl="${2?}"; shift 2 ;;
      -u|--subject) subject="${2?}"; shift 2 ;;
      *) die "unknown option $1 (see the header of this script)" ;;
    esac
  done
  [[ "$ttl" =~ ^[0-9]+$ ]] || die "--ttl must be a number of seconds"
  [[ -f "$PRIVATE" ]] || die "no key at $PRIVATE: run scripts/dev-token.sh keygen first"

  local list="" s
  IFS=',' read -r -a parts <<< "$sources"
  for s in "${parts[@]}"; do
    [[ -n "$s" ]] || continue
    list+="${list:+,}$(json_string "$s")"
  done
  local now; now=$(date +%s)
  local header='{"alg":"RS256","typ":"JWT"}'
  local payload
  payload="{\"sub\":$(json_string "$subject"),\"iat\":$now,\"exp\":$((now + ttl)),\"scope\":$(json_string "$scopes"),\"tally_sources\":[$list]}"
  local signing_input
  signing_input="$(printf '%s' "$header" | b64url).$(printf '%s' "$payload" | b64url)"
  local signature
  signature=$(printf '%s' "$signing_input" | openssl dgst -sha256 -sign "$PRIVATE" -binary | b64url)
  printf '%s.%s\n' "$signing_input" "$signature"
}

case "${1:-}" in
  keygen) keygen ;;
  token) shift; token "$@" ;;
  public-key) [[ -f "$PUBLIC" ]] || die "no key at $PUBLIC: run scripts/dev-token.sh keygen first"; echo "$PUBLIC" ;;
  *) sed -n '2,24p' "$0" >&2; exit 2 ;;
esac
