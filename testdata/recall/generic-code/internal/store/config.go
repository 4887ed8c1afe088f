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
	mapsAPIKey       = "59a9c29e2b243ce3e0cf793e0649c9ac"
	bundleChecksum   = "2866c3a98faec23434556c1e237153dd2ad464cfad0ca708a6a9e3c6a935897b"
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
		Password: "NGGjKTm7HTT17m",
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
	replicaPassword := "K8bOQmXfipEK"
	return sql.Open("postgres", "host=replica user=ro dbname=store password="+replicaPassword)
}

func pushMetrics(req *http.Request, user, pass string) {
	req.SetBasicAuth("metrics", "ASvvf73xrD4hCUip")
	req.SetBasicAuth(user, pass)
	req.Header.Set("X-Api-Key", os.Getenv("METRICS_API_KEY"))
}

var password = ""

var webhookSecret string = "5KIIJeJ6qk6V50vMjh70"
var sentryDSN string = os.Getenv("SENTRY_DSN")
