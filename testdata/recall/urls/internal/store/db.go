package store

import (
	"database/sql"
	"fmt"
	"os"
)

const defaultDSN = "shop:b2f2i3rFlLqL5YdoGV1y@tcp(mysql.shop.internal:3306)/shop?parseTime=true"

func Open() (*sql.DB, error) {
	return sql.Open("mysql", defaultDSN)
}

func OpenPG() (*sql.DB, error) {
	return sql.Open("postgres", "host=pg.shop.internal user=shop password=rB6j2iXRs5HpniL5 dbname=shop sslmode=verify-full")
}

func OpenFromEnv() (*sql.DB, error) {
	dsn := fmt.Sprintf("%s:%s@tcp(%s:3306)/%s", os.Getenv("DB_USER"), os.Getenv("DB_PASS"), os.Getenv("DB_HOST"), "shop")
	return sql.Open("mysql", dsn)
}

var natsURL = fmt.Sprintf("nats://events:9VFb06wIwxEvpIOy@%s:4222", os.Getenv("NATS_HOST"))
var mqttURL = "mqtts://gateway:Wt0yT93Nzih1FH5x@{host}:8883"
