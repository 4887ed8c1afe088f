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
	mapsAPIKey       = "97b46606247fdaa2b8e3e47285a4309b"
	bundleChecksum   = "7b552e1c549c056de14c3c5a487a114cf3fbdd9fedd33add0a19dca9273e7c1f"
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
		Password: "SgH6pItQz8p4e6",
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
	replicaPassword := "U93Qx3IAKZko"
	return sql.Open("postgres", "host=replica user=ro dbname=store password="+replicaPassword)
}

func pushMetrics(req *http.Request, user, pass string) {
	req.SetBasicAuth("metrics", "PVAKh5egHYih4IK8")
	req.SetBasicAuth(user, pass)
	req.Header.Set("X-Api-Key", os.Getenv("METRICS_API_KEY"))
}

var password = ""

func init() {
	os.Setenv("STORE_API_KEY", "DaspUtbuleC5C0HzjwSL")
	os.Setenv("STORE_API_KEY_FILE", "/run/secrets/store_api_key")
}

var webhookSecret string = "octbD5utuFj7XXE4nms2"
var sentryDSN string = os.Getenv("SENTRY_DSN")
