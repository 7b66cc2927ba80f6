# shellcheck shell=bash
# The local certificate authority: made once under $CMH_INFRA_HOME/tls (never in git), with
# one server certificate for 127.0.0.1 and localhost that it signs. PostgreSQL serves it
# (postgres.sh), so do the distributed profile's services (infra/distributed/up.sh); their
# clients trust the CA alone (ca.pem) or the CA beside the system's (trust-bundle.pem).
# Sourced by postgres.sh and infra/distributed/lib.sh.

CMH_TLS_DIR="${CMH_INFRA_HOME:-$HOME/.cache/cmh/infra}/tls"

# tls_valid FILE: the certificate is there and valid for 30 more days.
_tls_valid() {
  [[ -s "$1" ]] && openssl x509 -noout -checkend $((30 * 86400)) -in "$1" >/dev/null 2>&1
}

# local_tls_ensure: makes what is missing or expiring; prints nothing when all is in place.
local_tls_ensure() {
  local dir=$CMH_TLS_DIR
  mkdir -p "$dir" && chmod 700 "$dir"
  if ! _tls_valid "$dir/ca.pem" || [[ ! -s "$dir/ca-key.pem" ]]; then
    (umask 077 && openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
      -keyout "$dir/ca-key.pem" -out "$dir/ca.pem" -days 825 -sha256 \
      -subj "/CN=CloudMastersHub local CA" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign") >/dev/null 2>&1 ||
      { warn "tls: could not make the local CA in $dir"; return 1; }
    rm -f "$dir/server.pem"
  fi
  if ! _tls_valid "$dir/server.pem" ||
    ! openssl verify -CAfile "$dir/ca.pem" "$dir/server.pem" >/dev/null 2>&1; then
    (umask 077 &&
      openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$dir/server-key.pem" -out "$dir/server.csr" -subj "/CN=localhost" &&
      openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca-key.pem" \
        -CAcreateserial -out "$dir/server.pem" -days 397 -sha256 -extfile <(printf '%s\n' \
          "subjectAltName=DNS:localhost,IP:127.0.0.1" "basicConstraints=critical,CA:FALSE" \
          "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" \
          "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid")) >/dev/null 2>&1 ||
      { warn "tls: could not make the server certificate in $dir"; return 1; }
    rm -f "$dir/server.csr"
    chmod 644 "$dir/server.pem"
    step "tls: server certificate for 127.0.0.1/localhost signed by the local CA ($dir)"
  fi
  chmod 644 "$dir/ca.pem"
  # Clients that also reach public services trust the CA beside the system's authorities.
  local system=/etc/ssl/certs/ca-certificates.crt
  cat "$dir/ca.pem" $([[ -r $system ]] && printf '%s' "$system") >"$dir/trust-bundle.pem.tmp" &&
    mv -f "$dir/trust-bundle.pem.tmp" "$dir/trust-bundle.pem"
}
