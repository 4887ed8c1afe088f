package com.acme.payments;

import java.net.HttpURLConnection;
import java.net.URL;

public class LedgerClient {
    private static final String LEDGER_URL = "https://ledger.corp.local/v1/entries";

    public HttpURLConnection open() throws Exception {
        HttpURLConnection conn = (HttpURLConnection) new URL(LEDGER_URL).openConnection();
        conn.setRequestProperty("Authorization", "Basic bGVkZ2VyLXN2YzpDd3JXUjJRVVZzUVVFVFk2dzNEMERF");
        conn.setRequestProperty("Accept", "application/json");
        return conn;
    }

    public HttpURLConnection openWithToken() throws Exception {
        HttpURLConnection conn = (HttpURLConnection) new URL(LEDGER_URL).openConnection();
        conn.setRequestProperty("Authorization", "Bearer J5UpGEpcuG1aEwYkpaiVs857m49vdTrfGGHy");
        return conn;
    }

    public HttpURLConnection openWith(String token) throws Exception {
        HttpURLConnection conn = (HttpURLConnection) new URL(LEDGER_URL).openConnection();
        conn.setRequestProperty("Authorization", "Bearer " + token);
        return conn;
    }
}
