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
	mapsAPIKey       = "a4309b7b552e1c549c056de14c3c5a48"
	bundleChecksum   = "7a114cf3fbdd9fedd33add0a19dca9273e7c1f379c72bd57d32343e09790a52e"
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
		Password: "5C0HzjwSLoctbD",
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
	replicaPassword := "5utuFj7XXE4n"
	return sql.Open("postgres", "host=replica user=ro dbname=store password="+replicaPassword)
}

func pushMetrics(req *http.Request, user, pass string) {
	req.SetBasicAuth("metrics", "ms27S5dmu12w5Ebl")
	req.SetBasicAuth(user, pass)
	req.Header.Set("X-Api-Key", os.Getenv("METRICS_API_KEY"))
}

var password = ""

func init() {
	os.Setenv("STORE_API_KEY", "O4SJmIOpm84dPgtU0u95")
	os.Setenv("STORE_API_KEY_FILE", "/run/secrets/store_api_key")
}

var webhookSecret string = "r3AT4ivS98XCAfko3thT"
var sentryDSN string = os.Getenv("SENTRY_DSN")
