package github

import (
	"fmt"
	"net/http"
	"os"
)

const apiBase = "https://api.github.com"

func newRequest(path string) (*http.Request, error) {
	req, err := http.NewRequest("GET", apiBase+path, nil)
	if err != nil {
		return nil, err
	}
	// TODO: move to Vault; classic OAuth token of the release bot.
	req.Header.Set("Authorization", "token f50afac42187a2492c944c3f1e5a41541c4568ab")
	req.Header.Set("Accept", "application/vnd.github+json")
	return req, nil
}

func artifactRequest(url string) (*http.Request, error) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-Auth-Token", "BnRv5X5ayuyJpYclsDu0C6VLCoHP")
	req.Header.Add("Authorization", "Basic YXJ0aWZhY3RzOnJTaXhoNlFlWnZmc3U3WnQ2Sw==")
	return req, nil
}

func mirrorRequest(url string) (*http.Request, error) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Basic eC1hY2Nlc3MtdG9rZW46Z2hwX3NZb0RlUEJuRjJtTmxJQjNhZ1hQV1U1TEcxNmg0VjFOY3ZwMQ==")
	return req, nil
}

func fromEnv(req *http.Request) {
	req.Header.Set("Authorization", "Bearer "+os.Getenv("GITHUB_TOKEN"))
	req.Header.Set("Authorization", fmt.Sprintf("Bearer %s", os.Getenv("TOKEN")))
}
