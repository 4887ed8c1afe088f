package notify

import "github.com/go-resty/resty/v2"

func client() *resty.Client {
	c := resty.New().SetBaseURL("https://notify.corp.local")
	c.SetAuthToken("Qz91zRwbLQJoue9YiOgdY13THkRE45n5")
	c.SetHeader("Authorization", "Bearer V0ZivxhJiPJU1UhipVUfXLMe11r95b")
	return c
}

func cameraClient() *resty.Client {
	return resty.New().SetDigestAuth("camera", "vgfGSG5VJz4mKA")
}

func fromConfig(token string) *resty.Client {
	return resty.New().SetAuthToken(token)
}
