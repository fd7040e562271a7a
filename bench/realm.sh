# Sourced by the bench scripts, after `eval "$(stack env)"` (which sets ORDERS_OIDC_ISSUER): the callers'
# tokens from the stack's identity provider, as README shows ("Identity in dev and tests").

# USER [PASSWORD]: a person's access token, by the dev realm's password grant (client order-cli; a seeded
# person's password is its name). The realm's tokens live 5 minutes.
token() {
  curl -fsS "$ORDERS_OIDC_ISSUER/protocol/openid-connect/token" -d grant_type=password -d client_id=order-cli \
    --data-urlencode "username=$1" --data-urlencode "password=${2:-$1}" | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}

# TOKEN: its subject (the claims are base64url JSON between the dots); for a customer, its customer id
subject() {
  local claims
  claims=$(cut -d. -f2 <<<"$1" | tr '_-' '/+')
  while (( ${#claims} % 4 )); do claims+="="; done
  base64 -d <<<"$claims" | sed -E 's/.*"sub":"([^"]+)".*/\1/'
}
