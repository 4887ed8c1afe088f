import psycopg2

TEST_DB = "postgresql://tester:0iMyQEOr86Fm7PhE@localhost:5432/shop_test"


def test_connect():
    conn = psycopg2.connect(TEST_DB)
    assert conn.closed == 0


def test_libpq():
    psycopg2.connect("host=localhost dbname=shop_test user=postgres password=postgres")
