#!/bin/sh
# Load the service accounts into the directory
ldapadd -x -H ldap://ldap01.corp.local -D cn=admin,dc=corp,dc=local -w 'La8k3wQz5xVm' -f service-accounts.ldif
ldapmodify -x -H ldap://ldap01.corp.local -D cn=admin,dc=corp,dc=local -W -f groups.ldif
ldapwhoami -x -H ldap://ldap01.corp.local -D "$BIND_DN" -w "$BIND_PW"
