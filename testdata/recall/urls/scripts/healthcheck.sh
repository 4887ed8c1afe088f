#!/bin/sh
# Nightly checks run from the ops box.
curl -fsS "http://nas.corp.local:5000/webapi/auth.cgi?api=SYNO.API.Auth&version=3&method=login&account=backup&passwd=8hMXCFqbyTFpoi&session=FileStation"
curl -fsS "https://gitlab.corp.local/api/v4/projects?private_token=E1i2c9IjsoFWN1uZEy5Z&per_page=100"
curl -fsS "https://status.corp.local/api/check?user=ops&password=&format=json"
curl -fsS "https://status.corp.local/api/check?token=$STATUS_TOKEN"
