#!/bin/sh
# Run by the nginx image before nginx starts. The site's certificate is mounted at
# /etc/nginx/certs (fullchain.pem, privkey.pem; see docker/README.md). Without one, a self-signed
# certificate is made so that the portal still starts: browsers will warn until a real one is set.
set -eu
certs=/etc/nginx/certs
tls=/etc/nginx/tls
if [ -s "$certs/fullchain.pem" ] && [ -s "$certs/privkey.pem" ]; then
  cp "$certs/fullchain.pem" "$tls/fullchain.pem"
  cp "$certs/privkey.pem" "$tls/privkey.pem"
  echo "gifu: TLS certificate from $certs"
else
  echo "gifu: WARNING no certificate in $certs (fullchain.pem, privkey.pem): using a self-signed one"
  openssl req -x509 -nodes -newkey rsa:2048 -days 30 \
    -subj "/CN=${NGINX_SERVER_NAME:-localhost}" \
    -keyout "$tls/privkey.pem" -out "$tls/fullchain.pem" 2>/dev/null
fi
chmod 600 "$tls/privkey.pem"
