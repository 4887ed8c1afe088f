#!/bin/sh
set -e
# TLS material for the staging cluster
openssl rsa -in staging.key -passin pass:Ts6w9kQz2mXv -out staging.nopass.key
openssl rsa -in staging.key -passin env:STAGING_KEY_PASS -out staging2.nopass.key
openssl pkcs12 -export -in staging.crt -inkey staging.key -out staging.p12 -passout file:/run/secrets/p12
jarsigner -keystore release.jks -storepass "Js4k8wQz3vLn" dist/shop.jar release
apksigner sign --ks release.jks --ks-pass pass:As7v2kWq9xMr --key-pass pass:$KEY_PASS app-release.apk
