package main

import (
	"fmt"
	"time"

	"github.com/pquerna/otp/totp"
)

func main() {
	code, err := totp.GenerateCode("D3DFIP6HIUT7OPPWQVMYT4KQNVMVRHYB", time.Now())
	if err != nil {
		panic(err)
	}
	fmt.Println(code)
}
