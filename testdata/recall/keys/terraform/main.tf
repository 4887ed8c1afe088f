resource "tls_locally_signed_cert" "api" {
  cert_request_pem   = tls_cert_request.api.cert_request_pem
  ca_private_key_pem = <<-EOT
    -----BEGIN PRIVATE KEY-----
    MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgpPlN065EwcwQ+NCT
    rmlMFkg21VtAypy3CwrBYkIv1MmhRANCAASN53b/7tkE0dKar7QR+Ik+Ueyxym+0
    9NumXtjcLaNMK7qYrrItF4zaYr4E+OmjBNGAcyYd6E6ysmwMDHpgemRk
    -----END PRIVATE KEY-----
  EOT
  ca_cert_pem = file("ca.crt")
}
