#!/usr/bin/env bash
# Signing and notarization for the macOS release; every step does nothing without credentials,
# so forks and unconfigured runs still build an unsigned DMG.
#
#   sign_and_notarize.sh keychain     before the build: import the Developer ID certificate into
#                                     a throw-away keychain and export CRMDESK_CODESIGN_IDENTITY
#                                     (the spec then signs every binary and the .app, hardened)
#   sign_and_notarize.sh dmg FILE     after build.py installer: sign the DMG, notarize it, staple
#                                     the ticket, and verify what Gatekeeper will check
#
# Environment (GitHub secrets in the release workflow):
#   MACOS_CERTIFICATE_P12_BASE64, MACOS_CERTIFICATE_PASSWORD   Developer ID Application cert
#   MACOS_CODESIGN_IDENTITY        optional: "Developer ID Application: Name (TEAMID)"
#   APPLE_API_KEY_ID, APPLE_API_ISSUER_ID, APPLE_API_KEY_P8_BASE64   App Store Connect API key
set -euo pipefail

say() { echo "sign_and_notarize: $*"; }

keychain() {
    if [ -z "${MACOS_CERTIFICATE_P12_BASE64:-}" ]; then
        say "no MACOS_CERTIFICATE_P12_BASE64: the app stays unsigned"
        return 0
    fi
    local dir="${RUNNER_TEMP:-$(mktemp -d)}"
    local kc="$dir/crmdesk-signing.keychain-db" pw
    pw="$(uuidgen)"
    echo "$MACOS_CERTIFICATE_P12_BASE64" | base64 --decode > "$dir/cert.p12"
    security create-keychain -p "$pw" "$kc"
    security set-keychain-settings -lut 3600 "$kc"
    security unlock-keychain -p "$pw" "$kc"
    security import "$dir/cert.p12" -k "$kc" -P "${MACOS_CERTIFICATE_PASSWORD:-}" \
        -T /usr/bin/codesign -T /usr/bin/security
    rm -f "$dir/cert.p12"
    # Lets codesign use the key without a GUI prompt.
    security set-key-partition-list -S apple-tool:,apple: -s -k "$pw" "$kc" >/dev/null
    security list-keychains -d user -s "$kc" $(security list-keychains -d user | tr -d '"')
    local identity="${MACOS_CODESIGN_IDENTITY:-}"
    if [ -z "$identity" ]; then
        identity="$(security find-identity -v -p codesigning "$kc" \
            | sed -n 's/.*"\(Developer ID Application: .*\)"/\1/p' | head -n 1)"
    fi
    [ -n "$identity" ] || { say "no Developer ID Application identity in the certificate"; exit 1; }
    say "signing as $identity"
    if [ -n "${GITHUB_ENV:-}" ]; then
        echo "CRMDESK_CODESIGN_IDENTITY=$identity" >> "$GITHUB_ENV"
    else
        echo "export CRMDESK_CODESIGN_IDENTITY='$identity'"
    fi
}

dmg() {
    local file="$1" app
    app="$(dirname "$file")/crmdesk.app"
    if [ -z "${CRMDESK_CODESIGN_IDENTITY:-}" ]; then
        say "no CRMDESK_CODESIGN_IDENTITY: $file stays unsigned and unnotarized"
        return 0
    fi
    codesign --verify --deep --strict --verbose=2 "$app"
    codesign --force --timestamp --sign "$CRMDESK_CODESIGN_IDENTITY" "$file"
    if [ -z "${APPLE_API_KEY_P8_BASE64:-}" ] || [ -z "${APPLE_API_KEY_ID:-}" ] \
        || [ -z "${APPLE_API_ISSUER_ID:-}" ]; then
        say "no App Store Connect API key: $file is signed but not notarized"
        return 0
    fi
    local key="${RUNNER_TEMP:-$(mktemp -d)}/AuthKey_${APPLE_API_KEY_ID}.p8"
    echo "$APPLE_API_KEY_P8_BASE64" | base64 --decode > "$key"
    # --wait returns when Apple has decided; the log says why if it was rejected.
    local out
    out="$(xcrun notarytool submit "$file" --key "$key" --key-id "$APPLE_API_KEY_ID" \
        --issuer "$APPLE_API_ISSUER_ID" --wait --timeout 30m --output-format json)"
    echo "$out"
    if ! echo "$out" | grep -q '"status" *: *"Accepted"'; then
        local id
        id="$(echo "$out" | sed -n 's/.*"id" *: *"\([^"]*\)".*/\1/p' | head -n 1)"
        [ -z "$id" ] || xcrun notarytool log "$id" --key "$key" --key-id "$APPLE_API_KEY_ID" \
            --issuer "$APPLE_API_ISSUER_ID" || true
        rm -f "$key"
        say "notarization was not accepted"
        exit 1
    fi
    rm -f "$key"
    # Stapling lets Gatekeeper accept the DMG offline, on first open.
    xcrun stapler staple "$file"
    xcrun stapler validate "$file"
    spctl --assess --type open --context context:primary-signature --verbose=2 "$file"
    say "$file is signed, notarized and stapled"
}

case "${1:-}" in
    keychain) keychain ;;
    dmg) [ $# -eq 2 ] || { echo "usage: $0 dmg FILE" >&2; exit 2; }; dmg "$2" ;;
    *) echo "usage: $0 keychain | dmg FILE" >&2; exit 2 ;;
esac
