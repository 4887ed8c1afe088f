#!/bin/sh
# SAS generated in the portal for the nightly upload (expires end of year)
SAS='sp=racwdl&st=2026-01-05T09:00:00Z&se=2026-12-31T23:59:00Z&spr=https&sv=2022-11-02&sr=c&sig=%2FFYT7DxJVQlhk9PivfDTwvmmnbLLIh6FObaPvwehT%2Fc%3D'
azcopy copy ./dist "https://contosoreleases.blob.core.windows.net/builds?${SAS}" --recursive

# documented shape, not a signature
# https://account.blob.core.windows.net/c?sv=2022-11-02&sp=r&sig=<signature>
