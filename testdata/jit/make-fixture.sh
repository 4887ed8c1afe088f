#!/usr/bin/env bash
# Builds a realistic multi-repository fixture for keysprawl's JIT view:
#   payments-api   an AWS key added two years ago and removed last month,
#                  a deploy workflow feeding stored AWS keys (no OIDC),
#                  a pull_request_target workflow that runs PR code with secrets
#   web-frontend   the same Stripe key as payments-api (config + CI), an OIDC workflow (clean)
#   infra          GitLab CI with stored cloud keys, Jenkinsfile, CircleCI orb with keys,
#                  an ephemeral AWS session key, a short-lived JWT
# Usage: make-fixture.sh OUT_DIR        (all secrets are fake but format-valid)
set -euo pipefail
out=${1:?usage: make-fixture.sh OUT_DIR}
mkdir -p "$out"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Dana Ops" GIT_AUTHOR_EMAIL=dana@corp.test GIT_COMMITTER_NAME="Dana Ops" GIT_COMMITTER_EMAIL=dana@corp.test
day() { date -u -d "@$(( $(date -u +%s) - $1 * 86400 ))" +%Y-%m-%dT%H:%M:%SZ; }
commit() { git add -A; GIT_AUTHOR_DATE=$(day "$1") GIT_COMMITTER_DATE=$(day "$1") git commit -q -m "$2"; }

AWS_ID=AKIAQWGWQAUMJFE6ZK4T
AWS_SECRET=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
STRIPE=sk_live_51NzQ8rLkT2vXb9Wc4Hm7Jd3Fg6Ps0Ya5Ue1Ri8To2Qw
ASIA_ID=ASIAZ3MWQPL7VX4RKT2N

rm -rf "$out/payments-api" "$out/web-frontend" "$out/infra"

# payments-api -------------------------------------------------------------
mkdir -p "$out/payments-api" && cd "$out/payments-api" && git init -q -b main
mkdir -p config .github/workflows
printf 'service: payments\nregion: us-east-1\n' > config/app.yaml
commit 800 "initial"
cat > config/aws.env <<E
AWS_ACCESS_KEY_ID=$AWS_ID
AWS_SECRET_ACCESS_KEY=$AWS_SECRET
E
commit 730 "add aws config for uploads"
printf 'stripe:\n  api_key: %s\n' "$STRIPE" > config/payments.yaml
commit 500 "stripe integration"
cat > .github/workflows/deploy.yml <<'E'
name: deploy
on: { push: { branches: [main] } }
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Configure AWS
        uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}
          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
          aws-region: us-east-1
      - run: ./deploy.sh
E
cat > .github/workflows/pr-preview.yml <<'E'
name: preview
on: pull_request_target
jobs:
  preview:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: npm ci && npm run preview
        env:
          PREVIEW_TOKEN: ${{ secrets.PREVIEW_TOKEN }}
          AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}
E
commit 400 "ci: deploy and previews"
git rm -q config/aws.env
commit 30 "remove aws env file (moved to secrets manager)"

# web-frontend -------------------------------------------------------------
mkdir -p "$out/web-frontend" && cd "$out/web-frontend" && git init -q -b main
mkdir -p src .github/workflows
printf 'export const STRIPE_SECRET = "%s";\n' "$STRIPE" > src/billing.ts
cat > .github/workflows/release.yml <<E
name: release
on: push
permissions:
  id-token: write
  contents: read
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::123456789012:role/release
          aws-region: us-east-1
      - name: smoke test
        run: curl -u "$STRIPE:" https://api.stripe.com/v1/charges
        env:
          STRIPE: $STRIPE
          AWS_SECRET: \${{ secrets.AWS_SECRET_ACCESS_KEY }}
E
commit 200 "frontend billing + release workflow"

# infra --------------------------------------------------------------------
mkdir -p "$out/infra" && cd "$out/infra" && git init -q -b main
mkdir -p .circleci
cat > .gitlab-ci.yml <<'E'
stages: [plan, apply]
plan:
  stage: plan
  script:
    - export AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID
    - terraform plan
apply:
  stage: apply
  id_tokens:
    AWS_TOKEN: { aud: https://gitlab.com }
  script:
    - terraform apply
E
cat > Jenkinsfile <<'E'
pipeline {
  agent any
  stages {
    stage('deploy') {
      steps {
        withCredentials([[$class: 'AmazonWebServicesCredentialsBinding', credentialsId: 'aws-prod']]) {
          sh 'aws s3 sync build/ s3://site'
        }
      }
    }
  }
}
E
cat > .circleci/config.yml <<'E'
version: 2.1
orbs:
  aws-cli: circleci/aws-cli@4.1
jobs:
  deploy:
    docker: [{ image: cimg/base:stable }]
    steps:
      - checkout
      - aws-cli/setup:
          profile_name: default
      - run: aws s3 ls
E
cat > session.env <<E
AWS_ACCESS_KEY_ID=$ASIA_ID
E
commit 100 "infra pipelines"
