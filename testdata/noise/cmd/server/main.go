package main

import (
	"database/sql"
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"

	_ "github.com/lib/pq"
)

const tokenHeader = "X-Auth-Token"

type Config struct {
	DBHost     string
	DBPort     int
	DBUser     string
	DBPassword string
	DBName     string
	JWTSecret  string
}

func loadConfig() Config {
	port, _ := strconv.Atoi(os.Getenv("DB_PORT"))
	return Config{
		DBHost:     os.Getenv("DB_HOST"),
		DBPort:     port,
		DBUser:     os.Getenv("DB_USER"),
		DBPassword: os.Getenv("DB_PASSWORD"),
		DBName:     os.Getenv("DB_NAME"),
		JWTSecret:  os.Getenv("JWT_SECRET"),
	}
}

func main() {
	cfg := loadConfig()
	password := cfg.DBPassword
	dsn := fmt.Sprintf("postgres://%s:%s@%s:%d/%s?sslmode=disable", cfg.DBUser, password, cfg.DBHost, cfg.DBPort, cfg.DBName)
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	secretKey := []byte(cfg.JWTSecret)
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		token := r.Header.Get(tokenHeader)
		if token == "" {
			http.Error(w, "missing token", http.StatusUnauthorized)
			return
		}
		_ = secretKey
		w.WriteHeader(http.StatusOK)
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
