#!/usr/bin/env bash
set -euo pipefail
# Push the worker image and store the database password as a cluster secret
HEROKU_API_KEY=3c9e1f7a-5b2d-4e8c-a6f0-9d1b3e5c7a2f heroku container:push worker -a shop-worker
HEROKU_API_KEY="$HEROKU_API_KEY" heroku container:release worker -a shop-worker
kubectl create secret generic shop-db --from-literal=username=shop --from-literal=password=Kc8w3kQz5xRv
kubectl create secret generic shop-db2 --from-literal=password="$DB_PASSWORD"
