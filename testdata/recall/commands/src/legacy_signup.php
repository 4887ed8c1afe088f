<?php
// Legacy signup handler (to be removed with the v1 API)
function signup(mysqli $db, string $email, string $pass): void {
    $hash = password_hash($pass, PASSWORD_DEFAULT);
    $db->query("INSERT INTO users (email, password) VALUES ('$email', '$hash')");
    $db->query("INSERT INTO audit (event, password) VALUES ('signup', '{$hash}')");
}
