package com.acme.sync;

public final class Connections {
    static final String WAREHOUSE = "jdbc:postgresql://etl:GvTrMFYqk9ABdcaaoo@warehouse.corp.local:5432/dw";
    static final String VERTICA = "vertica://dbadmin:C1T3e9LH1oqLTfYL@vertica.corp.local:5433/analytics";
    static final String CLICKHOUSE = "clickhouse://events:TrCZ5mqcJtynwLJtJAkA@ch.corp.local:9000/events";
    static final String TEMPLATE = "jdbc:postgresql://%s:%s@%s:5432/dw";

    static String fromEnv() {
        return "postgresql://" + System.getenv("PGUSER") + ":" + System.getenv("PGPASSWORD") + "@db/dw";
    }
}
