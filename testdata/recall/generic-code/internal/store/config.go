package store

import (
	"database/sql"
	"net/http"
	"os"
)

// Defaults used by the local docker setup.
const (
	PasswordEnvVar   = "STORE_DB_PASSWORD"
	PasswordField    = "password"
	mapsAPIKey       = "3fbdd9fedd33add0a19dca9273e7c1f3"
	bundleChecksum   = "79c72bd57d32343e09790a52eec4b7190ea9af4f66916abf05676139a8d4aed2"
)

type DBConfig struct {
	Host     string
	User     string
	Password string `json:"password" yaml:"password"`
}

func Default() DBConfig {
	return DBConfig{
		Host:     "localhost:5432",
		User:     "store",
		Password: "ko3thTSmrlUpGQ",
	}
}

func FromEnv() DBConfig {
	return DBConfig{
		Host:     os.Getenv("STORE_DB_HOST"),
		User:     os.Getenv("STORE_DB_USER"),
		Password: os.Getenv(PasswordEnvVar),
	}
}

func replica() (*sql.DB, error) {
	replicaPassword := "sYrxZQH4hLHo"
	return sql.Open("postgres", "host=replica user=ro dbname=store password="+replicaPassword)
}

func pushMetrics(req *http.Request, user, pass string) {
	req.SetBasicAuth("metrics", "t57lQoriOQfDeC6H")
	req.SetBasicAuth(user, pass)
	req.Header.Set("X-Api-Key", os.Getenv("METRICS_API_KEY"))
}

var password = ""

func init() {
	os.Setenv("STORE_API_KEY", "eH6caMLsIqBZKfksWmpl")
	os.Setenv("STORE_API_KEY_FILE", "/run/secrets/store_api_key")
}

var webhookSecret string = "rUJblY5j5cND6WLya75F"
var sentryDSN string = os.Getenv("SENTRY_DSN")
